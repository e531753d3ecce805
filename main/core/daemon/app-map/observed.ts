// Edges and figures from spans: what actually happened in the window.
import type { SpanView } from '../../telemetry/index.js';
import type { GraphBuilder } from './graph.js';
import { eventId, fnId, serviceOfUrl } from './declared.js';

const HTTP_ENTRY = 'entry:http';
const PUBLISHER_ENTRY = 'entry:publishers';

function failed(s: SpanView): boolean {
  if (s.status.code === 'error') return true;
  const code = s.attributes['http.status_code'];
  return typeof code === 'number' && code >= 500;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined ? '' : String(v);
}

/**
 * Adds what the spans show. `functions` maps a span's service.name to the function it belongs to;
 * `eventingService` is the service.name of the platform's publish and deliver spans.
 */
export function addObserved(g: GraphBuilder, spans: SpanView[], functions: Map<string, { namespace: string; name: string }>, eventingService: string, exposedBy: Map<string, string>): void {
  const byId = new Map<string, SpanView>();
  for (const s of spans) byId.set(`${s.traceId}/${s.spanId}`, s);
  const parentOf = (s: SpanView): SpanView | undefined => (s.parentSpanId ? byId.get(`${s.traceId}/${s.parentSpanId}`) : undefined);
  const fnOf = (service: string): string | undefined => {
    const f = functions.get(service);
    return f ? fnId(f.namespace, f.name) : undefined;
  };

  for (const s of spans) {
    const fn = fnOf(s.service);
    if (fn && s.kind === 'server') {
      g.observeNode(fn, s.durationMs, failed(s));
      const p = parentOf(s);
      const caller = p ? fnOf(p.service) : undefined;
      if (caller && caller !== fn) g.observeEdge('http', caller, fn, { traces: { service: s.service } }, s.durationMs, failed(s));
      else if (p && p.service === eventingService) continue; // a delivery: counted on its deliver edge
      else if (!p || !caller) {
        const rule = exposedBy.get(fn);
        const viaGateway = p !== undefined && rule !== undefined;
        if (!viaGateway) g.node({ id: HTTP_ENTRY, kind: 'entry', label: 'HTTP clients', detail: 'invoke, curl, the mesh', links: {} });
        g.observeEdge(viaGateway ? 'expose' : 'http', viaGateway ? rule : HTTP_ENTRY, fn, { traces: { service: s.service } }, s.durationMs, failed(s));
      }
      continue;
    }
    if (fn && s.kind === 'client') {
      // Calls to cluster-DNS names that are not functions (a function's call to another one shows as that one's server span).
      const target = serviceOfUrl(s.attributes['http.url']);
      if (!target || functions.has(target.name)) continue;
      const id = `svc:${target.namespace}/${target.name}`;
      g.node({ id, kind: 'service', label: target.name, namespace: target.namespace, detail: 'cluster service', links: {} });
      g.observeEdge('http', fn, id, { traces: { service: s.service } }, s.durationMs, failed(s));
      continue;
    }
    if (s.service !== eventingService) continue;
    const op = s.attributes['messaging.operation'];
    const type = text(s.attributes['cloudevents.event_type']);
    const source = text(s.attributes['cloudevents.event_source']);
    if (!type) continue;
    const ev = eventId(source, type);
    g.node({ id: ev, kind: 'event', label: type, ...(source ? { detail: `source ${source}` } : {}), links: { events: { type, ...(source ? { source } : {}) }, traces: { attr: { 'cloudevents.event_type': type } } } });
    if (op === 'publish') {
      g.observeNode(ev, s.durationMs, failed(s));
      const p = parentOf(s);
      const publisher = p ? fnOf(p.service) : undefined;
      if (publisher) g.observeEdge('publish', publisher, ev, { traces: { service: p!.service, attr: { 'cloudevents.event_type': type } }, events: { type, source } }, s.durationMs, failed(s));
      else if (g.has(`app:${source}`)) g.observeEdge('inbound', `app:${source}`, ev, { events: { type, source } }, s.durationMs, failed(s));
      else {
        g.node({ id: PUBLISHER_ENTRY, kind: 'entry', label: 'Publishers', detail: 'outside functions', links: {} });
        g.observeEdge('publish', PUBLISHER_ENTRY, ev, { events: { type, source } }, s.durationMs, failed(s));
      }
    } else if (op === 'deliver') {
      const sink = serviceOfUrl(s.attributes['http.url']);
      if (!sink) continue;
      const sub = text(s.attributes['subscription']);
      const to = fnId(sink.namespace, sink.name);
      if (!g.has(to)) g.node({ id: to, kind: 'service', label: sink.name, namespace: sink.namespace, detail: 'not a function', links: {} });
      const code = s.attributes['http.status_code'];
      const error = s.status.code === 'error' || typeof code !== 'number' || code < 200 || code >= 300;
      g.observeEdge('deliver', ev, to, { traces: { attr: { subscription: sub } }, events: { subscription: sub } }, s.durationMs, error);
    }
  }
}
