// The compact stored span and its public (query answer) view.
import { attrsObject, type AttrValue, type FlatAttrs } from './otlp-values.js';

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
const KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
const STATUS_NAMES = ['unset', 'ok', 'error'] as const;

export type SpanKindName = (typeof KIND_NAMES)[number];
export type SpanStatusName = (typeof STATUS_NAMES)[number];

export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  service: string;
  startTime: string;
  /** Milliseconds since the epoch (fractional). */
  startMs: number;
  durationMs: number;
  status: { code: SpanStatusName; message?: string };
  attributes: Record<string, AttrValue>;
  events: Array<{ name: string; time: string; timeMs: number; attributes: Record<string, AttrValue> }>;
  links: Array<{ traceId: string; spanId: string; attributes: Record<string, AttrValue> }>;
  resource: Record<string, AttrValue>;
  scope: { name: string; version?: string };
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  startTime: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  error: boolean;
  services: string[];
}

export interface TraceDetail extends TraceSummary {
  spans: SpanView[];
}

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
