import { functionLineRecord, logLevelOf, type LogLevelName, type Telemetry } from '../telemetry/index.js';
import type { LogRecord } from './file-logger.js';

const WORKER_NAME = /^fn\/([^/]+)\/([^/]+)\/r(\d+)\/(\d+)$/;

// Node's inspector announces itself on stderr (kyma-local debug); that is news, not an error.
const INSPECTOR_LINE = /^(Debugger listening on |Debugger attached\.|Waiting for the debugger to disconnect|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector)/;

/**
 * A worker's stdout/stderr line → a log record tagged with function, namespace, replica and revision (the line
 * itself is read by functionLineRecord, shared with the kind runtime's pod log streams).
 */
export function workerLineToTelemetry(telemetry: Telemetry, line: string, stream: 'stdout' | 'stderr', worker: string): void {
  const m = WORKER_NAME.exec(worker);
  if (!m) return;
  const [, namespace, fn, revision, replica] = m;
  const resource = { service: fn!, function: fn!, namespace: namespace!, replica: `${fn}-r${revision}-${replica}`, revision: revision! };
  const fallback: LogLevelName = stream === 'stderr' && !INSPECTOR_LINE.test(line) ? 'error' : 'info';
  const record = functionLineRecord(line, resource, { fallback, attributes: { 'log.iostream': stream } });
  if (record) telemetry.recordLog(record);
}

/** The platform's own log records (daemon, runtime, nats-server, modules) → telemetry, service = component. */
export function platformLogToTelemetry(telemetry: Telemetry, r: LogRecord): void {
  const { time, level: lvl, msg, component, ...rest } = r;
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) attributes[k] = v;
  try {
    telemetry.recordLog({ time, level: logLevelOf(lvl, 'info'), body: msg, attributes, resource: { service: `kyma-local/${typeof component === 'string' ? component : 'daemon'}` } });
  } catch {
    // telemetry must never break logging
  }
}
