import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { functionServerEntry, parseLoadErrorLine, type LoadErrorReport } from '../../function-runtime/index.js';
import type { Logger } from '../../model/index.js';
import type { ModuleContext } from '../module.js';
import type { SupervisedProcess } from '../supervisor/index.js';
import type { EffectiveConfig } from './effective-config.js';
import type { PathMap } from './materialize.js';
import type { StandbyPool } from './standby-pool.js';
import { workerSocketPath } from './worker-socket.js';

/** Kyma's in-cluster publisher proxy; used when the eventing module has not published a local one. */
export const DEFAULT_PUBLISHER_PROXY = 'http://eventing-publisher-proxy.kyma-system.svc.cluster.local/publish';
export const PRELOAD_PATH = fileURLToPath(new URL('./worker-preload.js', import.meta.url));

export interface Worker {
  name: string;
  replica: number;
  /** The worker's Unix socket (named pipe on Windows): only the daemon's mesh, gateway and dispatcher connect. */
  socketPath: string;
  proc: SupervisedProcess;
}

/** A worker started for `kyma-local debug`: inspector port, and where it loads the handler from. */
export interface WorkerDebug {
  port: number;
  break: boolean;
  /** Folder whose handler.js the worker loads, so the inspector reports that file. */
  handlerDir: string;
}

export interface WorkerLaunch {
  ctx: ModuleContext;
  namespace: string;
  name: string;
  revision: number;
  replica: number;
  revDir: string;
  cfg: EffectiveConfig;
  pathMap: PathMap;
  meshPort: number;
  socketDir: string;
  startTimeoutMs: number;
  /** The compiled function server and path-map preload (defaults: next to this compiled file in dist/). */
  entry?: string;
  preload?: string;
  log: Logger;
  /** Called for every line, tagged, so the daemon can turn them into log records. */
  onLine?: (line: string, stream: 'stdout' | 'stderr', worker: string) => void;
  /** Pre-started workers to adopt instead of spawning (hot reloads skip Node start-up and runtime loading). */
  standby?: StandbyPool;
  debug?: WorkerDebug;
}

/** Why a worker did not become ready; `load` is set when the runtime reported a handler load error. */
export class WorkerStartError extends Error {
  constructor(
    message: string,
    readonly load?: LoadErrorReport,
  ) {
    super(message);
  }
}

function workerEnv(l: WorkerLaunch, socketPath: string): Record<string, string> {
  const { ctx, cfg } = l;
  const env: Record<string, string> = {
    ...cfg.env,
    FUNC_HANDLER_DIR: l.revDir,
    FUNC_SOCKET: socketPath,
    FUNC_NAME: l.name,
    FUNC_RUNTIME: cfg.runtime,
    SERVICE_NAMESPACE: l.namespace,
    FUNC_TIMEOUT: cfg.env.FUNC_TIMEOUT ?? '180',
    REQ_MB_LIMIT: cfg.env.REQ_MB_LIMIT ?? String(ctx.profile.limits?.requestBodyMb ?? 1),
    PUBLISHER_PROXY_ADDRESS: ctx.endpoints.get('publisher') ?? DEFAULT_PUBLISHER_PROXY,
    KYMA_LOCAL_MESH: `127.0.0.1:${l.meshPort}`,
    KYMA_LOCAL_SERVICES: ctx.services.names().join(','),
    KYMA_LOCAL_LOG_FORMAT: 'json',
  };
  const traces = ctx.endpoints.get('otlp-traces');
  if (traces) env.TRACE_COLLECTOR_ENDPOINT = traces;
  if (Object.keys(l.pathMap).length > 0) env.KYMA_LOCAL_PATH_MAP = JSON.stringify(l.pathMap);
  if (l.debug) {
    env.FUNC_HANDLER_DIR = l.debug.handlerDir;
    // The handler loads from outside the revision folder; its dependencies still come from the revision's.
    env.NODE_PATH = path.join(l.revDir, 'node_modules');
    env.KYMA_LOCAL_DEBUG = '1';
    if (l.debug.break) env.KYMA_LOCAL_DEBUG_BREAK = '1';
  }
  return env;
}

/** One GET /healthz over the worker's socket; never throws. */
function healthz(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/healthz', timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/**
 * Readiness that reacts to the worker's "listening on" log line instead of waiting out the supervisor's poll
 * backoff (20 ms doubling to 200 ms, which added up to 200 ms to every hot reload). The line only wakes the
 * probe; /healthz still decides. Without the line (a restarted incarnation, other output) it is a plain poll.
 */
function listeningReadiness(socketPath: string): { check: () => Promise<boolean>; onLine: (line: string) => void } {
  const marker = ` listening on unix:${socketPath}`;
  let listening = false;
  let wake: (() => void) | undefined;
  return {
    onLine(line) {
      if (listening || !line.includes(marker)) return;
      listening = true;
      wake?.();
    },
    async check() {
      if (!listening) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 250);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = undefined;
      }
      return healthz(socketPath);
    },
  };
}

/** Starts one replica; resolves when GET /healthz answers, rejects with WorkerStartError otherwise. */
export async function startWorker(l: WorkerLaunch): Promise<Worker> {
  const socketPath = workerSocketPath(l.socketDir);
  const name = `fn/${l.namespace}/${l.name}/r${l.revision}/${l.replica}`;
  let load: LoadErrorReport | undefined;
  const args = [`--max-old-space-size=${l.cfg.heapMb}`];
  if (l.debug) args.push(`--inspect=127.0.0.1:${l.debug.port}`);
  if (Object.keys(l.pathMap).length > 0) args.push('--import', pathToFileURL(l.preload ?? PRELOAD_PATH).href);
  args.push(l.entry ?? functionServerEntry());
  const readiness = listeningReadiness(socketPath);
  const env = workerEnv(l, socketPath);
  // The path-map preload reads its map at start-up, so functions with secretMounts always start cold.
  const pool = Object.keys(l.pathMap).length === 0 && !l.debug ? l.standby : undefined;
  const standby = pool ? await pool.acquire(args) : undefined;
  const adopt = standby
    ? () => {
        if (standby.send({ type: 'activate', env, cwd: l.revDir })) return standby;
        standby.kill('SIGKILL');
        return undefined;
      }
    : undefined;
  try {
    const proc = await l.ctx.supervisor.start({
      name,
      command: process.execPath,
      args,
      env,
      ...(adopt ? { adopt } : {}),
      cwd: l.revDir,
      ipc: true,
      readiness: { kind: 'custom', check: readiness.check },
      startTimeoutMs: l.startTimeoutMs,
      stopGraceMs: 10_000,
      restart: { mode: 'always', initialBackoffMs: 200, maxBackoffMs: 10_000, crashLoopThreshold: 3, crashLoopWindowMs: 60_000 },
      onLine(line, stream) {
        if (stream === 'stdout') readiness.onLine(line);
        if (stream === 'stderr') load ??= parseLoadErrorLine(line);
        l.onLine?.(line, stream, name);
      },
    });
    return { name, replica: l.replica, socketPath, proc };
  } catch (err) {
    const msg = (err as Error).message;
    throw new WorkerStartError(load ? load.message : msg, load);
  }
}
