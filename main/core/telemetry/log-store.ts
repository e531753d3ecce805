// Log records in arrival order, bounded by count and approximate bytes; oldest first out.
import { Interner } from './intern.js';
import type { IngestResult, OtlpLogsRequest, OtlpResource, OtlpScope } from './otlp-types.js';
import { anyValue, attrGet, attrsObject, flatAttrs, idHex, nanosToMs, OtlpDecodeError, type FlatAttrs } from './otlp-values.js';
import type { Retention } from './retention.js';
import { isoTime } from './span-model.js';
import type { LogEntry, LogLevelName, LogSource } from '../api/index.js';
export type { LogEntry, LogLevelName, LogSource };

export const LOG_LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];


/** Resource attribute keys used for the function fields (recordLog writes these, OTLP ingest reads them). */
export const RESOURCE_KEYS = {
  function: ['faas.name', 'kyma.function.name'],
  namespace: ['k8s.namespace.name', 'service.namespace'],
  replica: ['faas.instance', 'kyma.function.replica', 'service.instance.id', 'k8s.pod.name'],
  revision: ['faas.version', 'kyma.function.revision', 'service.version'],
} as const;

interface LogResource {
  readonly source: LogSource;
  readonly attrs: FlatAttrs | undefined;
  readonly scopeName: string;
}

class StoredLog {
  constructor(
    readonly timeMs: number,
    readonly severityNumber: number,
    readonly severityText: string,
    readonly body: string,
    readonly attrs: FlatAttrs | undefined,
    readonly traceId: string,
    readonly spanId: string,
    readonly resource: LogResource,
  ) {}
}


export interface LogQuery {
  function?: string;
  namespace?: string;
  replica?: string;
  revision?: string;
  /** Minimum level: warn returns warn, error and fatal. */
  level?: LogLevelName;
  /** Case-insensitive substring of the body. */
  text?: string;
  traceId?: string;
  since?: number;
  until?: number;
  /** The newest `limit` matches (default 100), returned oldest first. */
  limit?: number;
}

export function levelOf(severityNumber: number, severityText: string): LogLevelName {
  if (severityNumber > 0) return LOG_LEVELS[Math.min(5, Math.floor((severityNumber - 1) / 4))]!;
  const t = severityText.toLowerCase();
  if (t.startsWith('warn')) return 'warn';
  if (t.startsWith('err')) return 'error';
  return (LOG_LEVELS as readonly string[]).includes(t) ? (t as LogLevelName) : 'info';
}

/** The lowest OTLP severityNumber of a level (trace=1, debug=5, info=9, warn=13, error=17, fatal=21). */
export function severityOf(level: LogLevelName): number {
  return LOG_LEVELS.indexOf(level) * 4 + 1;
}

function firstString(attrs: FlatAttrs | undefined, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = attrGet(attrs, k);
    if (v !== undefined && v !== null && v !== '') return String(v);
  }
  return undefined;
}

export function sourceOf(attrs: FlatAttrs | undefined): LogSource {
  const service = firstString(attrs, ['service.name']) ?? 'unknown_service';
  const fn = firstString(attrs, RESOURCE_KEYS.function) ?? service;
  const src: LogSource = { service, function: fn };
  const ns = firstString(attrs, RESOURCE_KEYS.namespace);
  const replica = firstString(attrs, RESOURCE_KEYS.replica);
  const revision = firstString(attrs, RESOURCE_KEYS.revision);
  if (ns) src.namespace = ns;
  if (replica) src.replica = replica;
  if (revision) src.revision = revision;
  return src;
}

/** How far back a late log record may be sorted in; see LogStore.push. */
const MAX_REORDER = 256;

export class LogStore {
  private records: StoredLog[] = [];
  private head = 0;
  bytes = 0;
  evicted = 0;
  private readonly intern = new Interner();
  private readonly resources = new Map<string, LogResource>();

  constructor(private readonly retention: Retention) {}

  get size(): number {
    return this.records.length - this.head;
  }

  ingest(req: OtlpLogsRequest, dedupe = false): { result: IngestResult; added: LogEntry[] } {
    if (req.resourceLogs !== undefined && req.resourceLogs !== null && !Array.isArray(req.resourceLogs)) {
      throw new OtlpDecodeError('"resourceLogs" must be an array');
    }
    const added: LogEntry[] = [];
    const seen = dedupe ? new Set(this.all().map(logKey)) : undefined;
    for (const rl of req.resourceLogs ?? []) {
      for (const sl of rl.scopeLogs ?? []) {
        const res = this.resourceOf(rl.resource, sl.scope);
        for (const r of sl.logRecords ?? []) {
          const body = anyValue(r.body);
          const time = nanosToMs(r.timeUnixNano) || nanosToMs(r.observedTimeUnixNano) || Date.now();
          const rec = new StoredLog(
            time,
            typeof r.severityNumber === 'string' ? Number(r.severityNumber) || 0 : (r.severityNumber ?? 0),
            this.intern.key(r.severityText ?? ''),
            typeof body === 'string' ? body : body === null ? '' : JSON.stringify(body),
            flatAttrs(r.attributes, this.intern),
            idHex(r.traceId),
            idHex(r.spanId),
            res,
          );
          const view = logView(rec);
          if (seen) {
            const key = logKey(view);
            if (seen.has(key)) continue;
            seen.add(key);
          }
          this.push(rec);
          added.push(view);
        }
      }
    }
    this.enforce();
    return { result: { accepted: added.length, rejected: 0 }, added };
  }

  /**
   * Keeps records in time order when they arrive slightly out of it (exporters send concurrent requests, so two
   * records logged 1 ms apart can arrive swapped): a late record moves back past at most MAX_REORDER newer ones.
   * Older stragglers (an import of old data) are simply appended.
   */
  private push(rec: StoredLog): void {
    const end = this.records.length;
    const limit = Math.max(this.head, end - MAX_REORDER);
    let at = end;
    while (at > limit && this.records[at - 1]!.timeMs > rec.timeMs) at--;
    const tooLate = at === limit && limit > this.head && this.records[limit - 1]!.timeMs > rec.timeMs;
    if (at === end || tooLate) this.records.push(rec);
    else this.records.splice(at, 0, rec);
    this.bytes += recordBytes(rec);
  }

  private resourceOf(resource: OtlpResource | null | undefined, scope: OtlpScope | null | undefined): LogResource {
    const attrs = flatAttrs(resource?.attributes, this.intern);
    const scopeName = scope?.name ?? '';
    const key = JSON.stringify([attrs, scopeName]);
    const hit = this.resources.get(key);
    if (hit) return hit;
    const res: LogResource = { source: sourceOf(attrs), attrs, scopeName };
    if (this.resources.size < 10_000) this.resources.set(key, res);
    return res;
  }

  private enforce(): void {
    const r = this.retention;
    while (this.size > 1 && (this.size > r.maxLogRecords || this.bytes > r.maxLogBytes)) {
      const rec = this.records[this.head]!;
      this.records[this.head++] = undefined as unknown as StoredLog;
      this.bytes -= recordBytes(rec);
      this.evicted++;
    }
    if (this.head > 1024 && this.head > this.records.length / 2) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }

  query(q: LogQuery): LogEntry[] {
    const limit = q.limit ?? 100;
    const minSeverity = q.level ? severityOf(q.level) : 0;
    const text = q.text?.toLowerCase();
    const traceId = q.traceId?.toLowerCase();
    const out: LogEntry[] = [];
    for (let i = this.records.length - 1; i >= this.head && out.length < limit; i--) {
      const r = this.records[i]!;
      const src = r.resource.source;
      if (q.function !== undefined && src.function !== q.function) continue;
      if (q.namespace !== undefined && src.namespace !== q.namespace) continue;
      if (q.replica !== undefined && src.replica !== q.replica) continue;
      if (q.revision !== undefined && src.revision !== q.revision) continue;
      if (minSeverity && severityOf(levelOf(r.severityNumber, r.severityText)) < minSeverity) continue;
      if (traceId !== undefined && r.traceId !== traceId) continue;
      if (q.since !== undefined && r.timeMs < q.since) continue;
      if (q.until !== undefined && r.timeMs > q.until) continue;
      if (text !== undefined && !r.body.toLowerCase().includes(text)) continue;
      out.push(logView(r));
    }
    return out.reverse();
  }

  /** All records oldest first, for export. */
  all(): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = this.head; i < this.records.length; i++) out.push(logView(this.records[i]!));
    return out;
  }
}

function logKey(l: LogEntry): string {
  return `${l.timeMs.toFixed(3)}|${l.source.service}|${l.spanId ?? ''}|${l.body}`;
}

function recordBytes(r: StoredLog): number {
  return 160 + r.body.length + (r.attrs ? r.attrs.length * 24 : 0) + r.traceId.length + r.spanId.length;
}

function logView(r: StoredLog): LogEntry {
  return {
    time: isoTime(r.timeMs),
    timeMs: r.timeMs,
    level: levelOf(r.severityNumber, r.severityText),
    severityNumber: r.severityNumber,
    ...(r.severityText ? { severityText: r.severityText } : {}),
    body: r.body,
    attributes: attrsObject(r.attrs),
    ...(r.traceId ? { traceId: r.traceId } : {}),
    ...(r.spanId ? { spanId: r.spanId } : {}),
    source: r.resource.source,
    resource: attrsObject(r.resource.attrs),
    ...(r.resource.scopeName ? { scope: r.resource.scopeName } : {}),
  };
}
