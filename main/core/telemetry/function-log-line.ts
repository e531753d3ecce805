import type { LogLevelName } from './log-store.js';
import type { RecordLogInput } from './telemetry.js';
import type { AttrValue } from './otlp-values.js';

const LEVELS: Record<string, LogLevelName> = { trace: 'trace', debug: 'debug', info: 'info', log: 'info', warn: 'warn', warning: 'warn', error: 'error', fatal: 'fatal' } as Record<string, LogLevelName>;

/** A level name as runtimes and loggers spell it (log, warning, ERROR…) → ours; anything else → `fallback`. */
export function logLevelOf(raw: unknown, fallback: LogLevelName): LogLevelName {
  return (typeof raw === 'string' && LEVELS[raw.toLowerCase()]) || fallback;
}

export interface FunctionLineOptions {
  /** Level when the line does not name one (stderr → error, stdout → info). */
  fallback: LogLevelName;
  /** Attributes every record of this source carries (log.iostream, k8s.pod.name…). */
  attributes?: Record<string, AttrValue>;
  /** When the line was written, if the source knows (the kubelet's timestamp); a JSON line's own `time` wins. */
  time?: string;
}

/**
 * One line a function printed → a log record. Runtimes write JSON lines (`time`, `level`, `msg`, `trace_id`,
 * `span_id` and any fields) so the record carries the trace of the request being served; anything else (a
 * crash trace, output before the runtime took over console) is kept as plain text. Both runtimes use this:
 * the embedded runtime for its workers' stdout/stderr, the kind runtime for its function pods' log streams.
 * Undefined for an empty line.
 */
export function functionLineRecord(line: string, resource: RecordLogInput['resource'], opts: FunctionLineOptions): RecordLogInput | undefined {
  if (line.trim() === '') return undefined;
  const base = opts.attributes ?? {};
  if (line.startsWith('{')) {
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const { time, level: lvl, msg, trace_id, span_id, ...rest } = j;
      const attributes: Record<string, AttrValue> = { ...base };
      for (const [k, v] of Object.entries(rest)) attributes[k] = typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
      const when = typeof time === 'string' || typeof time === 'number' ? time : opts.time;
      return {
        ...(when !== undefined ? { time: when } : {}),
        level: logLevelOf(lvl, opts.fallback),
        body: typeof msg === 'string' ? msg : JSON.stringify(msg ?? j),
        attributes,
        resource,
        ...(typeof trace_id === 'string' && trace_id ? { traceId: trace_id } : {}),
        ...(typeof span_id === 'string' && span_id ? { spanId: span_id } : {}),
      };
    } catch {
      // not JSON after all: keep it as text
    }
  }
  return { ...(opts.time !== undefined ? { time: opts.time } : {}), level: opts.fallback, body: line, attributes: { ...base }, resource };
}
