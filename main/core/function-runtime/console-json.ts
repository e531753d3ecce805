// Log lines and traces. Upstream writes console output as plain text (and so does this runtime by default).
// With KYMA_LOCAL_LOG_FORMAT=json, console.log/info/warn/error/debug are replaced by writers printing one JSON
// line per call: {"time","level","msg","trace_id","span_id"}, where the ids come from the span active in the
// calling async context (OpenTelemetry's AsyncLocalStorage context manager). Inside a request that is the
// request's server span, so the daemon can attach each line the function writes to its trace. Lines written
// outside a request carry no ids. The message keeps console's formatting (util.format), so `msg` is what
// the plain-text mode would have printed.
import { context, trace } from '@opentelemetry/api';
import { format } from 'node:util';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  time: string;
  level: Level;
  msg: string;
  trace_id?: string;
  span_id?: string;
}

export function logRecord(level: Level, args: unknown[]): LogRecord {
  const record: LogRecord = { time: new Date().toISOString(), level, msg: format(...args) };
  const span = trace.getSpan(context.active());
  const sc = span?.spanContext();
  if (sc && trace.isSpanContextValid(sc)) {
    record.trace_id = sc.traceId;
    record.span_id = sc.spanId;
  }
  return record;
}

/** Replaces the console methods with JSON-line writers (stdout for debug/info/log, stderr for warn/error). */
export function installJsonConsole(): void {
  const write = (stream: NodeJS.WriteStream, level: Level) => (...args: unknown[]): void => {
    stream.write(`${JSON.stringify(logRecord(level, args))}\n`);
  };
  console.log = write(process.stdout, 'info');
  console.info = write(process.stdout, 'info');
  console.debug = write(process.stdout, 'debug');
  console.warn = write(process.stderr, 'warn');
  console.error = write(process.stderr, 'error');
}
