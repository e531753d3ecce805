// The compact stored span and its public (query answer) view.
import { attrsObject, type FlatAttrs } from './otlp-values.js';
import type { SpanKindName, SpanStatusName, SpanView, TraceDetail, TraceSummary } from '../api/index.js';
export type { SpanKindName, SpanStatusName, SpanView, TraceDetail, TraceSummary };

/** Shared by every span of one resource+scope (interned), so per-span memory holds only a pointer. */
export interface SpanResource {
  readonly service: string;
  readonly attrs: FlatAttrs | undefined;
  readonly scopeName: string;
  readonly scopeVersion: string;
}

export interface StoredEvent {
  readonly timeMs: number;
  readonly name: string;
  readonly attrs: FlatAttrs | undefined;
}

export interface StoredLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attrs: FlatAttrs | undefined;
}

/** A class (one hidden class, fields in-object) rather than a literal per span, for the heap budget. */
export class StoredSpan {
  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string,
    readonly name: string,
    readonly kind: number,
    readonly startMs: number,
    readonly durationMs: number,
    readonly statusCode: number,
    readonly statusMessage: string | undefined,
    readonly attrs: FlatAttrs | undefined,
    readonly events: StoredEvent[] | undefined,
    readonly links: StoredLink[] | undefined,
    readonly resource: SpanResource,
  ) {}
}

export const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'] as const;
export const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
const KIND_NAMES: readonly SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_NAMES: readonly SpanStatusName[] = ['unset', 'ok', 'error'];





export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function spanView(s: StoredSpan): SpanView {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: KIND_NAMES[s.kind] ?? 'unspecified',
    service: s.resource.service,
    startTime: isoTime(s.startMs),
    startMs: s.startMs,
    durationMs: s.durationMs,
    status: { code: STATUS_NAMES[s.statusCode] ?? 'unset', ...(s.statusMessage ? { message: s.statusMessage } : {}) },
    attributes: attrsObject(s.attrs),
    events: (s.events ?? []).map((e) => ({ name: e.name, time: isoTime(e.timeMs), timeMs: e.timeMs, attributes: attrsObject(e.attrs) })),
    links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: attrsObject(l.attrs) })),
    resource: attrsObject(s.resource.attrs),
    scope: { name: s.resource.scopeName, ...(s.resource.scopeVersion ? { version: s.resource.scopeVersion } : {}) },
  };
}
