import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
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
  /**
   * Monitoring port, bound only when given (0 = any free port). nats-server's monitor answers any Host and
   * origin (a web page could read it after DNS rebinding), so it stays closed unless the profile asks for it.
   */
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
  /** Only when the monitor was asked for. */
  monitorPort?: number;
  /** http://127.0.0.1:MONITOR, only when the monitor was asked for. */
  monitorUrl?: string;
  process: SupervisedProcess;
}

const AUTO_PORT_ATTEMPTS = 3;

/** Starts nats-server with JetStream on loopback under the supervisor; resolves when /healthz reports JetStream. */
export async function startNats(opts: StartNatsOptions): Promise<RunningNats> {
  const binary = resolveNatsServer(opts.binary);
  const storeDir = path.join(opts.stateDir, 'jetstream');
  await mkdir(storeDir, { recursive: true });
  const auto = opts.port === 0 || opts.monitorPort === 0;
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(opts.port, 'ports.nats');
    const monitorPort = opts.monitorPort === undefined ? undefined : await choosePort(opts.monitorPort, 'ports.natsMonitor');
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
  const fix = `stop that process or set ${field} in the profile (0 = any free port)`;
  throw new Error(`Failed to start nats-server: port ${port} in use (${holder}) — ${fix}`);
}

async function spawnNats(opts: StartNatsOptions, binary: string, storeDir: string, port: number, monitorPort: number | undefined): Promise<RunningNats> {
  const log = opts.log.child({ component: 'nats' });
  const monitorUrl = monitorPort === undefined ? undefined : `http://127.0.0.1:${monitorPort}`;
  // Loopback only and no auth: the trust boundary is the local user, like the daemon's own API. Browsers cannot
  // speak the NATS protocol (a WebSocket listener is never configured), so only the monitor needed closing.
  const args = ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port), ...(monitorPort === undefined ? [] : ['-m', String(monitorPort)]), '-n', opts.serverName ?? 'kyma-local'];
  const name = opts.name ?? 'nats';
  const spec: ProcessSpec = {
    name,
    command: binary,
    args,
    // Ready means streams can be created: JetStream answers its account info.
    readiness: { kind: 'custom', check: () => jetStreamAnswers(`nats://127.0.0.1:${port}`) },
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
  return { url: `nats://127.0.0.1:${port}`, port, ...(monitorPort !== undefined && monitorUrl ? { monitorPort, monitorUrl } : {}), process: proc };
}

/** One readiness probe over the client port; never throws. */
async function jetStreamAnswers(url: string): Promise<boolean> {
  let nc: NatsConnection | undefined;
  try {
    nc = await connect({ servers: url, timeout: 1000, reconnect: false, name: 'kyma-local readiness' });
    const jsm = await nc.jetstreamManager({ timeout: 1000 });
    await jsm.getAccountInfo();
    return true;
  } catch {
    return false;
  } finally {
    await nc?.close().catch(() => undefined);
  }
}
