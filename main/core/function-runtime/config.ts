import path from 'node:path';

/** The runtime's configuration, read once from the environment (names as on a Kyma cluster). */
export interface RuntimeConfig {
  handlerDir: string;
  handlerFile: string;
  port: number;
  host: string;
  /**
   * Local addition (FUNC_SOCKET): listen on this Unix domain socket or Windows named pipe instead of host:port,
   * so the worker is reachable only through the daemon's mesh and gateway, never from a browser.
   */
  socketPath: string | undefined;
  functionName: string;
  runtime: string;
  namespace: string;
  /** Seconds before a request is answered with 408. */
  timeoutSec: number;
  /** Request body limit in MB. */
  bodyLimitMb: number;
  traceCollectorEndpoint: string | undefined;
  publisherProxyAddress: string | undefined;
  jsonLogs: boolean;
  /** host:port of the local service mesh, when the service-discovery hook is on. */
  meshAddress: string | undefined;
  knownServices: string[];
  /** Upper bound for draining in-flight requests on SIGTERM. */
  drainMs: number;
  /** Started for `kyma-local debug`: time paused at a breakpoint does not count towards FUNC_TIMEOUT. */
  debugging: boolean;
  /** `kyma-local debug --break`: every invocation stops before the handler runs. */
  debugBreak: boolean;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new Error(`Invalid ${name}=${JSON.stringify(raw)}: expected a non-negative number`);
  }
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const handlerDir = path.resolve(env.FUNC_HANDLER_DIR || '/usr/src/app/function');
  return {
    handlerDir,
    handlerFile: path.join(handlerDir, 'handler.js'),
    port: numberFrom(env, 'FUNC_PORT', 8080),
    host: env.FUNC_HOST || '127.0.0.1',
    socketPath: env.FUNC_SOCKET || undefined,
    functionName: env.FUNC_NAME ?? '',
    runtime: env.FUNC_RUNTIME ?? '',
    namespace: env.SERVICE_NAMESPACE ?? '',
    timeoutSec: numberFrom(env, 'FUNC_TIMEOUT', 180),
    bodyLimitMb: numberFrom(env, 'REQ_MB_LIMIT', 1),
    traceCollectorEndpoint: env.TRACE_COLLECTOR_ENDPOINT || undefined,
    publisherProxyAddress: env.PUBLISHER_PROXY_ADDRESS || undefined,
    jsonLogs: env.KYMA_LOCAL_LOG_FORMAT === 'json',
    meshAddress: env.KYMA_LOCAL_MESH || undefined,
    knownServices: (env.KYMA_LOCAL_SERVICES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    drainMs: numberFrom(env, 'KYMA_LOCAL_DRAIN_MS', 5000),
    debugging: env.KYMA_LOCAL_DEBUG === '1',
    debugBreak: env.KYMA_LOCAL_DEBUG_BREAK === '1',
  };
}
