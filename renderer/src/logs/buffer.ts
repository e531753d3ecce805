import type { LogEntry, LogLevelName } from '../api/types.js';

export interface LogFilter {
  function: string;
  minLevel: LogLevelName | '';
  text: string;
  traceId: string;
}

const LEVEL_RANK: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

export function matches(l: LogEntry, f: LogFilter): boolean {
  if (f.function && l.source.function !== f.function && !(l.source.function ?? l.source.service).includes(f.function)) return false;
  if (f.minLevel && (LEVEL_RANK[l.level] ?? 2) < (LEVEL_RANK[f.minLevel] ?? 0)) return false;
  if (f.traceId && l.traceId !== f.traceId) return false;
  if (f.text && !l.body.toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

function isEmpty(f: LogFilter): boolean {
  return !f.function && !f.minLevel && !f.text && !f.traceId;
}

/**
 * The last `cap` log lines and the filtered view over them. Both arrays are trimmed in chunks (at 1.25×cap)
 * so that a line costs O(1) amortised even at thousands of lines per second.
 */
export class LogBuffer {
  private all: LogEntry[] = [];
  private view: LogEntry[] = [];
  private filter: LogFilter = { function: '', minLevel: '', text: '', traceId: '' };
  /** Lines received in total (also those dropped by the cap). */
  received = 0;

  constructor(readonly cap = 30_000) {}

  append(lines: LogEntry[]): void {
    this.received += lines.length;
    const unfiltered = isEmpty(this.filter);
    for (const l of lines) {
      this.all.push(l);
      if (!unfiltered && matches(l, this.filter)) this.view.push(l);
    }
    if (this.all.length > this.cap * 1.25) this.all = this.all.slice(-this.cap);
    if (!unfiltered && this.view.length > this.cap * 1.25) this.view = this.view.slice(-this.cap);
  }

  setFilter(f: LogFilter): void {
    this.filter = f;
    this.view = isEmpty(f) ? [] : this.all.filter((l) => matches(l, f));
  }

  clear(): void {
    this.all = [];
    this.view = [];
  }

  /** The lines to show, oldest first, at most `cap`. */
  lines(): LogEntry[] {
    const src = isEmpty(this.filter) ? this.all : this.view;
    return src.length > this.cap ? src.slice(-this.cap) : src;
  }
}
