// Spans grouped into traces, bounded by trace count, span count and approximate bytes; oldest trace first out.
import { Interner } from './intern.js';
import type { IngestResult, OtlpResource, OtlpScope, OtlpSpan, OtlpTraceRequest } from './otlp-types.js';
import { attrGet, enumNumber, flatAttrs, idHex, nanosToMs, OtlpDecodeError } from './otlp-values.js';
import type { Retention } from './retention.js';
import { SPAN_KINDS, STATUS_CODES, StoredSpan, type SpanResource, type StoredEvent, type StoredLink } from './span-model.js';

/** One trace: its spans plus the summary fields queries filter on, kept current on every insert. */
export class TraceEntry {
  spans: StoredSpan[] = [];
  /** Built only for large traces, where a linear duplicate check would be quadratic. */
  spanIds: Set<string> | undefined;
  startMs = Infinity;
  endMs = -Infinity;
  maxDurationMs = 0;
  error = false;
  services: string[] = [];
  root: StoredSpan | undefined;
  bytes = 0;
  constructor(readonly traceId: string) {}

  has(spanId: string): boolean {
    if (this.spanIds) return this.spanIds.has(spanId);
    for (const s of this.spans) if (s.spanId === spanId) return true;
    return false;
  }

  add(s: StoredSpan, bytes: number): void {
    this.spans.push(s);
    if (this.spanIds) this.spanIds.add(s.spanId);
    else if (this.spans.length > 64) this.spanIds = new Set(this.spans.map((x) => x.spanId));
    if (s.startMs < this.startMs) this.startMs = s.startMs;
    if (s.startMs + s.durationMs > this.endMs) this.endMs = s.startMs + s.durationMs;
    if (s.durationMs > this.maxDurationMs) this.maxDurationMs = s.durationMs;
    if (s.statusCode === 2) this.error = true;
    if (!this.services.includes(s.resource.service)) this.services.push(s.resource.service);
    const r = this.root;
    if (!r || (!s.parentSpanId && r.parentSpanId) || (!s.parentSpanId === !r.parentSpanId && s.startMs < r.startMs)) this.root = s;
    this.bytes += bytes;
  }
}

const SPAN_BASE_BYTES = 260;

function spanBytes(s: OtlpSpan): number {
  let n = SPAN_BASE_BYTES + (s.name?.length ?? 0);
  const attrs = s.attributes;
  if (attrs) for (const kv of attrs) n += 24 + (kv.value?.stringValue?.length ?? 0);
  if (s.events) n += s.events.length * 96;
  if (s.links) n += s.links.length * 128;
  return n;
}

export class SpanStore {
  readonly traces = new Map<string, TraceEntry>();
  /** Traces in arrival order; `head` skips the evicted ones (compacted now and then) so eviction is O(1). */
  private order: TraceEntry[] = [];
  private head = 0;
  spanCount = 0;
  bytes = 0;
  evictedTraces = 0;
  evictedSpans = 0;
  rejectedSpans = 0;
  private readonly intern = new Interner();
  private readonly resources = new Map<string, SpanResource>();

  constructor(private readonly retention: Retention) {}

  /** Traces newest first (arrival order). */
  *newestFirst(): Generator<TraceEntry> {
    for (let i = this.order.length - 1; i >= this.head; i--) yield this.order[i]!;
  }

  /** Traces oldest first (arrival order), for export. */
  *oldestFirst(): Generator<TraceEntry> {
    for (let i = this.head; i < this.order.length; i++) yield this.order[i]!;
  }

  ingest(req: OtlpTraceRequest): { result: IngestResult; added: StoredSpan[] } {
    const added: StoredSpan[] = [];
    let rejected = 0;
    let reason: string | undefined;
    if (req.resourceSpans !== undefined && req.resourceSpans !== null && !Array.isArray(req.resourceSpans)) {
      throw new OtlpDecodeError('"resourceSpans" must be an array');
    }
    for (const rs of req.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        const res = this.resourceOf(rs.resource, ss.scope);
        for (const s of ss.spans ?? []) {
          const why = this.addSpan(s, res, added);
          if (why) {
            rejected++;
            reason ??= why;
          }
        }
      }
    }
    this.enforce();
    this.rejectedSpans += rejected;
    return { result: { accepted: added.length, rejected, ...(reason ? { errorMessage: reason } : {}) }, added };
  }

  private addSpan(s: OtlpSpan, res: SpanResource, added: StoredSpan[]): string | undefined {
    const traceId = idHex(s.traceId);
    const spanId = idHex(s.spanId);
    if (traceId.length !== 32 || /^0+$/.test(traceId)) return `span "${s.name ?? ''}" has an invalid traceId "${traceId}" (want 16 non-zero bytes)`;
    if (spanId.length !== 16) return `span "${s.name ?? ''}" has an invalid spanId "${spanId}" (want 8 bytes)`;
    let trace = this.traces.get(traceId);
    if (trace?.has(spanId)) return undefined; // a retry or a re-import: already stored, not an error
    if (trace && trace.spans.length >= this.retention.maxSpansPerTrace) {
      return `trace ${traceId} already holds ${trace.spans.length} spans (retention maxSpansPerTrace)`;
    }
    const start = nanosToMs(s.startTimeUnixNano);
    const end = nanosToMs(s.endTimeUnixNano);
    const span = new StoredSpan(
      trace ? trace.traceId : traceId,
      spanId,
      idHex(s.parentSpanId),
      this.intern.key(s.name ?? ''),
      enumNumber(s.kind, SPAN_KINDS),
      start,
      Math.max(0, end - start),
      enumNumber(s.status?.code, STATUS_CODES),
      s.status?.message || undefined,
      flatAttrs(s.attributes, this.intern),
      s.events && s.events.length > 0 ? s.events.map((e): StoredEvent => ({ timeMs: nanosToMs(e.timeUnixNano), name: this.intern.key(e.name ?? ''), attrs: flatAttrs(e.attributes, this.intern) })) : undefined,
      s.links && s.links.length > 0 ? s.links.map((l): StoredLink => ({ traceId: idHex(l.traceId), spanId: idHex(l.spanId), attrs: flatAttrs(l.attributes, this.intern) })) : undefined,
      res,
    );
    if (!trace) {
      trace = new TraceEntry(span.traceId);
      this.traces.set(trace.traceId, trace);
      this.order.push(trace);
    }
    const bytes = spanBytes(s);
    trace.add(span, bytes);
    this.spanCount++;
    this.bytes += bytes;
    added.push(span);
    return undefined;
  }

  private resourceOf(resource: OtlpResource | null | undefined, scope: OtlpScope | null | undefined): SpanResource {
    const attrs = flatAttrs(resource?.attributes, this.intern);
    const scopeName = scope?.name ?? '';
    const scopeVersion = scope?.version ?? '';
    const key = JSON.stringify([attrs, scopeName, scopeVersion]);
    const hit = this.resources.get(key);
    if (hit) return hit;
    const service = attrGet(attrs, 'service.name');
    const res: SpanResource = { service: this.intern.key(typeof service === 'string' && service ? service : 'unknown_service'), attrs, scopeName, scopeVersion };
    if (this.resources.size < 10_000) this.resources.set(key, res);
    return res;
  }

  /** Evicts the oldest records until the retention bounds hold (also after the bounds shrink). */
  enforce(): void {
    const r = this.retention;
    while (this.traces.size > 1 && (this.traces.size > r.maxTraces || this.spanCount > r.maxSpans || this.bytes > r.maxSpanBytes)) {
      const t = this.order[this.head]!;
      this.order[this.head++] = undefined as unknown as TraceEntry;
      this.traces.delete(t.traceId);
      this.spanCount -= t.spans.length;
      this.bytes -= t.bytes;
      this.evictedTraces++;
      this.evictedSpans += t.spans.length;
    }
    if (this.head > 1024 && this.head > this.order.length / 2) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
