import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalInstance, Offering, OfferingContext } from './offering.js';
import { pickPort, processName } from './ports.js';

/** redis-server from PATH (Debian's `redis-server` package) or $KYMA_LOCAL_REDIS_SERVER. */
export function findRedisServer(): string | undefined {
  const explicit = process.env.KYMA_LOCAL_REDIS_SERVER;
  if (explicit) return explicit;
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `binary` undefined: the plan is listed as unavailable with the fix. */
export function redisOffering(binary: string | undefined): Offering {
  return {
    service: {
      id: 'kyma-local-redis',
      name: 'redis',
      description: 'Redis — a redis-server of its own on loopback with a password, append-only file under the state dir',
      bindable: true,
      tags: ['redis', 'cache', 'key-value'],
      plan_updateable: false,
      metadata: { displayName: 'Redis', providerDisplayName: 'Kyma Local' },
      plans: [
        {
          id: 'kyma-local-redis-dev',
          name: 'dev',
          description: 'One redis-server process with AOF persistence',
          free: true,
          bindable: true,
          schemas: {
            service_instance: {
              create: {
                parameters: {
                  $schema: 'http://json-schema.org/draft-07/schema#',
                  type: 'object',
                  additionalProperties: false,
                  properties: { maxmemory: { type: 'string', pattern: '^[0-9]+(kb|mb|gb)?$', description: 'e.g. 64mb (default: no limit)' } },
                },
              },
            },
          },
        },
      ],
    },
    unavailable: () => (binary ? undefined : 'redis-server is not installed — install it (Debian/Ubuntu: `apt-get install redis-server`) or set KYMA_LOCAL_REDIS_SERVER to its path'),
    async start(inst: LocalInstance, ctx: OfferingContext) {
      if (!binary) throw new Error('redis-server is not installed');
      const dir = path.join(ctx.dataRoot, 'redis', inst.id);
      await mkdir(dir, { recursive: true });
      inst.port ??= await pickPort();
      // The password lives in a 0600 config file, not in argv where `ps` would show it.
      const conf = [
        `port ${inst.port}`,
        'bind 127.0.0.1',
        'protected-mode yes',
        `dir ${JSON.stringify(dir)}`,
        'appendonly yes',
        'save ""',
        'daemonize no',
        `requirepass ${JSON.stringify(inst.password)}`,
        ...(typeof inst.parameters.maxmemory === 'string' ? [`maxmemory ${inst.parameters.maxmemory}`] : []),
      ].join('\n');
      const confFile = path.join(dir, 'redis.conf');
      await writeFile(confFile, `${conf}\n`, { mode: 0o600 });
      await ctx.supervisor.start({
        name: processName(inst),
        command: binary,
        args: [confFile],
        readiness: { kind: 'tcp', port: inst.port, host: '127.0.0.1' },
        startTimeoutMs: 20_000,
        restart: { mode: 'on-failure' },
        onLine: (line) => ctx.log.debug(line, { instance: inst.id }),
      });
    },
    async stop(inst, ctx) {
      await ctx.supervisor.get(processName(inst))?.stop();
    },
    async destroy(inst, ctx) {
      await ctx.supervisor.get(processName(inst))?.stop();
      await rm(path.join(ctx.dataRoot, 'redis', inst.id), { recursive: true, force: true });
    },
    credentials(inst) {
      const port = inst.port ?? 0;
      return { host: '127.0.0.1', port, password: inst.password, uri: `redis://:${encodeURIComponent(inst.password)}@127.0.0.1:${port}` };
    },
  };
}
