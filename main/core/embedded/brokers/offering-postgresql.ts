import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalInstance, Offering, OfferingContext } from './offering.js';
import { pickPort, processName } from './ports.js';

/** The compiled pg-server entry (dist/); tests running from sources pass the built file explicitly. */
export const PG_SERVER_ENTRY = fileURLToPath(new URL('./pg-server.js', import.meta.url));
export const PG_USER = 'postgres';
export const PG_DATABASE = 'postgres';

export function postgresqlOffering(entry = PG_SERVER_ENTRY): Offering {
  return {
    service: {
      id: 'kyma-local-postgresql',
      name: 'postgresql',
      description: 'PostgreSQL 18 (embedded PGlite) — a real PostgreSQL wire-protocol server on loopback, data under the state dir',
      bindable: true,
      tags: ['postgresql', 'relational', 'sql'],
      plan_updateable: false,
      metadata: { displayName: 'PostgreSQL (PGlite)', providerDisplayName: 'Kyma Local' },
      plans: [
        {
          id: 'kyma-local-postgresql-dev',
          name: 'dev',
          description: 'One database in its own PGlite process; up to 10 concurrent connections, queries run one at a time',
          free: true,
          bindable: true,
          schemas: {
            service_instance: {
              create: {
                parameters: {
                  $schema: 'http://json-schema.org/draft-07/schema#',
                  type: 'object',
                  additionalProperties: false,
                  properties: { maxConnections: { type: 'integer', minimum: 1, maximum: 100, description: 'Concurrent client connections (default 10)' } },
                },
              },
            },
          },
        },
      ],
    },
    unavailable: () => undefined,
    async start(inst: LocalInstance, ctx: OfferingContext) {
      const dir = dataDir(ctx, inst);
      await mkdir(dir, { recursive: true });
      inst.port ??= await pickPort();
      const maxConnections = typeof inst.parameters.maxConnections === 'number' ? inst.parameters.maxConnections : 10;
      await ctx.supervisor.start({
        name: processName(inst),
        command: process.execPath,
        args: [entry],
        // The password goes by environment, not argv, so `ps` does not show it.
        env: { PG_DATA_DIR: dir, PG_TEMPLATE_DIR: path.join(ctx.dataRoot, 'postgresql-template'), PG_PORT: String(inst.port), PG_USER, PG_PASSWORD: inst.password, PG_MAX_CONNECTIONS: String(maxConnections) },
        readiness: { kind: 'tcp', port: inst.port, host: '127.0.0.1' },
        // initdb of a fresh PGlite data dir takes seconds (more on a busy machine).
        startTimeoutMs: 120_000,
        stopGraceMs: 15_000,
        restart: { mode: 'on-failure' },
        onLine: (line, stream) => (stream === 'stderr' ? ctx.log.warn(line, { instance: inst.id }) : ctx.log.debug(line, { instance: inst.id })),
      });
    },
    async stop(inst, ctx) {
      await ctx.supervisor.get(processName(inst))?.stop();
    },
    async destroy(inst, ctx) {
      await ctx.supervisor.get(processName(inst))?.stop();
      await rm(dataDir(ctx, inst), { recursive: true, force: true });
    },
    credentials(inst) {
      const port = inst.port ?? 0;
      return {
        host: '127.0.0.1',
        port,
        username: PG_USER,
        password: inst.password,
        database: PG_DATABASE,
        uri: `postgresql://${PG_USER}:${encodeURIComponent(inst.password)}@127.0.0.1:${port}/${PG_DATABASE}`,
      };
    },
  };
}

function dataDir(ctx: OfferingContext, inst: LocalInstance): string {
  return path.join(ctx.dataRoot, 'postgresql', inst.id);
}
