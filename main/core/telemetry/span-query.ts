// Trace search over the span store: newest first, cheap trace-level rejects before looking at spans.
import { attrGet, attrMatches } from './otlp-values.js';
import { isoTime, spanView, type StoredSpan, type TraceDetail, type TraceSummary } from './span-model.js';
import type { SpanStore, TraceEntry } from './span-store.js';

export interface TraceQuery {
  /** service.name of at least one span (the one matching the other span filters). */
  service?: string;
  /** Span name (operation). */
  operation?: string;
  /** The matching span lasted at least this long. */
  minDurationMs?: number;
  /** error: the trace has a span with status error; ok: it has none. */
  status?: 'ok' | 'error';
  /** Span (or its resource) attributes that must all equal these values (compared as text). */
  attributes?: Record<string, string>;
  /** Trace start in [since, until] (ms since the epoch). */
  since?: number;
  until?: number;
  /** Default 100. */
  limit?: number;
}

function spanMatches(s: StoredSpan, q: TraceQuery, attrs: Array<[string, string]>): boolean {
  if (q.service !== undefined && s.resource.service !== q.service) return false;
  if (q.operation !== undefined && s.name !== q.operation) return false;
  if (q.minDurationMs !== undefined && s.durationMs < q.minDurationMs) return false;
  for (const [k, v] of attrs) {
    const got = attrGet(s.attrs, k) ?? attrGet(s.resource.attrs, k);
    if (!attrMatches(got, v)) return false;
  }
  return true;
}

function traceMatches(t: TraceEntry, q: TraceQuery, attrs: Array<[string, string]>, needSpan: boolean): boolean {
  if (q.status === 'error' && !t.error) return false;
  if (q.status === 'ok' && t.error) return false;
  if (q.since !== undefined && t.startMs < q.since) return false;
  if (q.until !== undefined && t.startMs > q.until) return false;
  if (q.service !== undefined && !t.services.includes(q.service)) return false;
  if (q.minDurationMs !== undefined && t.maxDurationMs < q.minDurationMs) return false;
  if (!needSpan) return true;
  for (const s of t.spans) if (spanMatches(s, q, attrs)) return true;
  return false;
}

export function traceSummary(t: TraceEntry): TraceSummary {
  const root = t.root ?? t.spans[0]!;
  return {
    traceId: t.traceId,
    rootName: root.name,
    rootService: root.resource.service,
    startTime: isoTime(t.startMs),
    startMs: t.startMs,
    durationMs: t.endMs - t.startMs,
    spanCount: t.spans.length,
    error: t.error,
    services: [...t.services],
  };
}

export function searchTraces(store: SpanStore, q: TraceQuery): TraceSummary[] {
  const limit = q.limit ?? 100;
  const attrs = Object.entries(q.attributes ?? {});
  const needSpan = q.operation !== undefined || q.minDurationMs !== undefined || attrs.length > 0 || q.service !== undefined;
  const out: TraceSummary[] = [];
  if (limit <= 0) return out;
  for (const t of store.newestFirst()) {
    if (!traceMatches(t, q, attrs, needSpan)) continue;
    out.push(traceSummary(t));
    if (out.length >= limit) break;
  }
  return out;
}

export function getTrace(store: SpanStore, traceId: string): TraceDetail | undefined {
  const t = store.traces.get(traceId.toLowerCase());
  if (!t) return undefined;
  const spans = [...t.spans].sort((a, b) => a.startMs - b.startMs).map(spanView);
  return { ...traceSummary(t), spans };
}
