/**
 * Trace context carried through eventing (eventing-publisher-proxy pkg/tracing): incoming headers become CloudEvent
 * extensions on publish, and the dispatcher turns them back into headers on delivery.
 */
const HEADER_TO_EXTENSION: ReadonlyArray<readonly [string, string]> = [
  ['traceparent', 'traceparent'],
  ['x-b3-traceid', 'b3traceid'],
  ['x-b3-parentspanid', 'b3parentspanid'],
  ['x-b3-spanid', 'b3spanid'],
  ['x-b3-sampled', 'b3sampled'],
  ['x-b3-flags', 'b3flags'],
];

const EXTENSION_TO_HEADER: Record<string, string> = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  b3traceid: 'X-B3-TraceId',
  b3parentspanid: 'X-B3-ParentSpanId',
  b3spanid: 'X-B3-SpanId',
  b3sampled: 'X-B3-Sampled',
  b3flags: 'X-B3-Flags',
};

export type HeaderBag = Record<string, string | string[] | undefined>;

function header(h: HeaderBag, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Trace extensions from lower-cased request headers. */
export function traceExtensionsFromHeaders(h: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [hn, ext] of HEADER_TO_EXTENSION) {
    const v = header(h, hn);
    if (v) out[ext] = v;
  }
  return out;
}

/** Delivery headers for the trace extensions an event carries. */
export function traceHeadersFromExtensions(ext: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [e, hn] of Object.entries(EXTENSION_TO_HEADER)) {
    const v = ext[e];
    if (typeof v === 'string' && v) out[hn] = v;
  }
  return out;
}

/** The trace id from traceparent (`00-<trace>-<span>-<flags>`) or B3. */
export function traceIdOf(ext: Record<string, unknown>): string | undefined {
  const tp = ext['traceparent'];
  if (typeof tp === 'string') {
    const parts = tp.split('-');
    if (parts.length >= 4 && /^[0-9a-f]{32}$/.test(parts[1]!)) return parts[1];
  }
  const b3 = ext['b3traceid'];
  return typeof b3 === 'string' && b3 ? b3 : undefined;
}
