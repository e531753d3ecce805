import { appendFileSync, renameSync, statSync } from 'node:fs';
import type { LogFields, LogLevel, Logger } from '../model/index.js';

export interface LogRecord {
  time: string;
  level: LogLevel;
  msg: string;
  [field: string]: string | number | boolean | undefined;
}

const MAX_LOG_BYTES = 20 * 1024 * 1024;

/**
 * JSON-lines logger for the daemon. Writes synchronously so the last lines before a crash are on disk;
 * rotates once to `<file>.1` past 20 MiB so a long-running daemon can't fill the disk.
 */
export function createFileLogger(file: string, opts: { level?: LogLevel; sink?: (r: LogRecord) => void; echo?: boolean } = {}): Logger {
  const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
  const min = order[opts.level ?? 'info'];
  let written = 0;
  try {
    written = statSync(file).size;
  } catch {
    written = 0;
  }
  const write = (level: LogLevel, msg: string, fields: LogFields): void => {
    const record: LogRecord = { time: new Date().toISOString(), level, msg, ...fields };
    opts.sink?.(record);
    if (order[level] < min) return;
    const line = JSON.stringify(record) + '\n';
    if (opts.echo) process.stderr.write(line);
    try {
      if (written > MAX_LOG_BYTES) {
        renameSync(file, `${file}.1`);
        written = 0;
      }
      appendFileSync(file, line, { mode: 0o600 });
      written += line.length;
    } catch {
      // Logging must never take the daemon down (e.g. disk full); the record still reached the sink.
    }
  };
  const make = (base: LogFields): Logger => ({
    debug: (m, f) => write('debug', m, { ...base, ...f }),
    info: (m, f) => write('info', m, { ...base, ...f }),
    warn: (m, f) => write('warn', m, { ...base, ...f }),
    error: (m, f) => write('error', m, { ...base, ...f }),
    child: (f) => make({ ...base, ...f }),
  });
  return make({});
}
