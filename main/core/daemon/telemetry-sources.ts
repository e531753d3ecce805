import type { LogLevelName, Telemetry } from '../telemetry/index.js';
import type { LogRecord } from './file-logger.js';

const WORKER_NAME = /^fn\/([^/]+)\/([^/]+)\/r(\d+)\/(\d+)$/;
const LEVELS: Record<string, LogLevelName> = { trace: 'trace', debug: 'debug', info: 'info', log: 'info', warn: 'warn', warning: 'warn', error: 'error', fatal: 'fatal' } as Record<string, LogLevelName>;

function level(raw: unknown, fallback: LogLevelName): LogLevelName {
  return (typeof raw === 'string' && LEVELS[raw.toLowerCase()]) || fallback;
}

// Node's inspector announces itself on stderr (kyma-local debug); that is news, not an error.
const INSPECTOR_LINE = /^(Debugger listening on |Debugger attached\.|Waiting for the debugger to disconnect|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector)/;

/**
 * A worker's stdout/stderr line → a log record tagged with function, namespace, replica and revision. The
 * runtime writes JSON lines (KYMA_LOCAL_LOG_FORMAT=json) carrying the trace/span of the request being served;
 * anything else (a crash trace, output before the runtime took over console) is kept as plain text.
 */
export function workerLineToTelemetry(telemetry: Telemetry, line: string, stream: 'stdout' | 'stderr', worker: string): void {
  const m = WORKER_NAME.exec(worker);
  if (!m || line.trim() === '') return;
  const [, namespace, fn, revision, replica] = m;
  const resource = { service: fn!, function: fn!, namespace: namespace!, replica: `${fn}-r${revision}-${replica}`, revision: revision! };
  const fallback: LogLevelName = stream === 'stderr' && !INSPECTOR_LINE.test(line) ? 'error' : 'info';
  if (line.startsWith('{')) {
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const { time, level: lvl, msg, trace_id, span_id, ...rest } = j;
      const attributes: Record<string, string | number | boolean> = { 'log.iostream': stream };
      for (const [k, v] of Object.entries(rest)) attributes[k] = typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
      telemetry.recordLog({
        ...(typeof time === 'string' || typeof time === 'number' ? { time } : {}),
        level: level(lvl, fallback),
        body: typeof msg === 'string' ? msg : JSON.stringify(msg ?? j),
        attributes,
        resource,
        ...(typeof trace_id === 'string' && trace_id ? { traceId: trace_id } : {}),
        ...(typeof span_id === 'string' && span_id ? { spanId: span_id } : {}),
      });
      return;
    } catch {
      // not JSON after all: keep it as text
    }
  }
  telemetry.recordLog({ level: fallback, body: line, attributes: { 'log.iostream': stream }, resource });
}

/** The platform's own log records (daemon, runtime, nats-server, modules) → telemetry, service = component. */
export function platformLogToTelemetry(telemetry: Telemetry, r: LogRecord): void {
  const { time, level: lvl, msg, component, ...rest } = r;
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) attributes[k] = v;
  try {
    telemetry.recordLog({ time, level: level(lvl, 'info'), body: msg, attributes, resource: { service: `kyma-local/${typeof component === 'string' ? component : 'daemon'}` } });
  } catch {
    // telemetry must never break logging
  }
}
