import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../model/index.js';
import type { ProcessSpec, SupervisedProcess, Supervisor } from '../supervisor/index.js';
import { resolveNatsServer } from './binary.js';
import { describeHolder, findPortHolder, isPortFree, pickFreePort } from './port-holder.js';

export interface StartNatsOptions {
  supervisor: Supervisor;
  /** The cluster's state dir; JetStream data goes to `<stateDir>/jetstream`. */
  stateDir: string;
  /** Client port; 0 = any free port. */
  port: number;
  /** Monitoring port (for the readiness check and the dashboard); default 0 = any free port. */
  monitorPort?: number;
  /** Explicit binary (profile natsServer); otherwise resolved by resolveNatsServer. */
  binary?: string;
  serverName?: string;
  /** Supervisor process name; default `nats`. */
  name?: string;
  startTimeoutMs?: number;
  log: Logger;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunningNats {
  /** nats://127.0.0.1:PORT */
  url: string;
  port: number;
  monitorPort: number;
  /** http://127.0.0.1:MONITOR */
  monitorUrl: string;
  process: SupervisedProcess;
}

const AUTO_PORT_ATTEMPTS = 3;

/** Starts nats-server with JetStream on loopback under the supervisor; resolves when /healthz reports JetStream. */
export async function startNats(opts: StartNatsOptions): Promise<RunningNats> {
  const binary = resolveNatsServer(opts.binary);
  const storeDir = path.join(opts.stateDir, 'jetstream');
  await mkdir(storeDir, { recursive: true });
  const auto = opts.port === 0 || (opts.monitorPort ?? 0) === 0;
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(opts.port, 'ports.nats');
    const monitorPort = await choosePort(opts.monitorPort ?? 0, 'the nats monitor port');
    try {
      return await spawnNats(opts, binary, storeDir, port, monitorPort);
    } catch (err) {
      // An auto-picked port can be taken between picking and binding; pick again.
      const raced = auto && /address already in use/i.test((err as Error).message);
      if (!raced || attempt >= AUTO_PORT_ATTEMPTS) throw err;
      opts.log.info('auto-picked nats port was taken meanwhile; retrying', { port, monitorPort });
    }
  }
}

async function choosePort(port: number, field: string): Promise<number> {
  if (port === 0) return pickFreePort();
  if (await isPortFree(port)) return port;
  const holder = describeHolder(await findPortHolder(port));
  const fix = field === 'ports.nats' ? `stop that process or set ports.nats in the profile (0 = any free port)` : 'stop that process or use 0 (any free port)';
  throw new Error(`Failed to start nats-server: port ${port} in use (${holder}) — ${fix}`);
}

async function spawnNats(opts: StartNatsOptions, binary: string, storeDir: string, port: number, monitorPort: number): Promise<RunningNats> {
  const log = opts.log.child({ component: 'nats' });
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  // Loopback only and no auth: the trust boundary is the local user, like the daemon's own API.
  const args = ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-n', opts.serverName ?? 'kyma-local'];
  const name = opts.name ?? 'nats';
  const spec: ProcessSpec = {
    name,
    command: binary,
    args,
    // 503 until JetStream is enabled, so Ready means streams can be created.
    readiness: { kind: 'http', url: `${monitorUrl}/healthz?js-enabled-only=true`, expectStatus: 200 },
    ...(opts.startTimeoutMs !== undefined ? { startTimeoutMs: opts.startTimeoutMs } : {}),
    stopGraceMs: 5000,
    onLine: (line, stream) => {
      // nats-server logs everything to stderr; [ERR]/[WRN] are worth surfacing.
      if (/\[(ERR|FTL)\]/.test(line)) log.error(line);
      else if (/\[WRN\]/.test(line)) log.warn(line);
      else log.debug(line);
      opts.onLine?.(line, stream);
    },
  };
  const proc = await opts.supervisor.start(spec).catch((err: Error) => {
    // The supervisor names the process ("nats"); users know the binary.
    throw new Error(err.message.replace(`Failed to start ${name}:`, 'Failed to start nats-server:'));
  });
  return { url: `nats://127.0.0.1:${port}`, port, monitorPort, monitorUrl, process: proc };
}
