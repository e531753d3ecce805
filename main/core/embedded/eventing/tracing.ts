// Platform spans of eventing: one `publish <type>` span per stored event and one `deliver <type> → <sink>` span per
// delivery attempt, so a trace shows the hop through the publisher proxy and the dispatcher between two functions.
// The tracer is handed in (the daemon's provider exporting into its telemetry store); without one, eventing only
// carries the incoming trace headers along, as before.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type TextMapGetter, type TextMapSetter, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { CloudEvent } from 'cloudevents';
import { traceExtensionsFromHeaders, traceHeadersFromExtensions, type HeaderBag } from './trace-headers.js';
import type { SubscriptionRef } from './types.js';

export const EVENTING_TRACER = 'kyma-local/eventing';

const w3c = new W3CTraceContextPropagator();
const b3 = new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER });

type Carrier = Record<string, string>;
const getter: TextMapGetter<Carrier> = { keys: (c) => Object.keys(c), get: (c, k) => c[k.toLowerCase()] };
const setter: TextMapSetter<Carrier> = { set: (c, k, v) => (c[k.toLowerCase()] = v) };

function lower(h: HeaderBag | Record<string, string>): Carrier {
  const out: Carrier = {};
  for (const [k, v] of Object.entries(h)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && s) out[k.toLowerCase()] = s;
  }
  return out;
}

/** The parent context from trace headers: W3C traceparent first, B3 (multi or single header) otherwise. */
export function extractParent(headers: HeaderBag | Record<string, string>): Context {
  const carrier = lower(headers);
  const fromW3c = w3c.extract(ROOT_CONTEXT, carrier, getter);
  if (trace.getSpanContext(fromW3c)) return fromW3c;
  return b3.extract(ROOT_CONTEXT, carrier, getter);
}

/** traceparent (+tracestate) and B3 multi headers (lower-case names) for a span. */
export function headersFor(span: Span): Record<string, string> {
  const carrier: Carrier = {};
  const ctx = trace.setSpan(ROOT_CONTEXT, span);
  w3c.inject(ctx, carrier, setter);
  b3.inject(ctx, carrier, setter);
  return carrier;
}

export interface PublishSpan {
  /** Trace extensions naming this span as the parent of everything downstream. */
  readonly extensions: Record<string, string>;
  readonly traceId: string;
  end(err?: unknown): void;
}

export interface DeliverySpan {
  /** Trace headers naming this span as the parent of the sink's server span. */
  readonly headers: Record<string, string>;
  readonly traceId: string;
  readonly spanId: string;
  end(result: { ok: boolean; statusCode?: number; error?: string }): void;
}

export interface DeliveryInfo {
  subject: string;
  subscription: SubscriptionRef;
  sink: string;
  attempt: number;
}

function eventAttributes(event: { id: string; type: string; source: string }): Attributes {
  return { 'cloudevents.event_id': event.id, 'cloudevents.event_type': event.type, 'cloudevents.event_source': event.source };
}

export class EventTracing {
  private readonly tracer: Tracer | undefined;

  constructor(provider?: TracerProvider) {
    this.tracer = provider?.getTracer(EVENTING_TRACER);
  }

  /**
   * Starts the span of one publish, a child of the trace context in the request headers or, failing that, in the
   * event's own trace extensions. Undefined without a tracer.
   */
  startPublish(event: CloudEvent<unknown>, type: string, subject: string, headers: HeaderBag, via: string): PublishSpan | undefined {
    if (!this.tracer) return undefined;
    const incoming = { ...lower(traceHeadersFromExtensions(event as unknown as Record<string, unknown>)), ...lower(headers) };
    const parent = extractParent(incoming);
    const span = this.tracer.startSpan(
      `publish ${type}`,
      {
        kind: via === 'publish' || via === 'legacy' ? SpanKind.SERVER : SpanKind.PRODUCER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination': subject, 'messaging.operation': 'publish', 'eventing.via': via, ...eventAttributes(event), 'cloudevents.event_type': type },
      },
      parent,
    );
    const extensions = traceExtensionsFromHeaders(headersFor(span));
    const parentId = trace.getSpanContext(parent)?.spanId;
    if (parentId && extensions['b3traceid']) extensions['b3parentspanid'] = parentId;
    return {
      extensions,
      traceId: span.spanContext().traceId,
      end(err?: unknown) {
        if (err !== undefined) {
          const status = (err as { status?: unknown }).status;
          if (typeof status === 'number') span.setAttribute('http.status_code', status);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        } else span.setAttribute('http.status_code', via === 'legacy' ? 200 : 204);
        span.end();
      },
    };
  }

  /** Starts the span of one delivery attempt, a child of the event's trace extensions. */
  startDelivery(event: { id: string; type: string; source: string }, info: DeliveryInfo): DeliverySpan | undefined {
    if (!this.tracer) return undefined;
    const parent = extractParent(traceHeadersFromExtensions(event as unknown as Record<string, unknown>));
    const span = this.tracer.startSpan(
      `deliver ${event.type} → ${info.sink}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination': info.subject,
          'messaging.operation': 'deliver',
          ...eventAttributes(event),
          subscription: `${info.subscription.namespace}/${info.subscription.name}`,
          attempt: info.attempt,
          'http.url': info.sink,
        },
      },
      parent,
    );
    const sc = span.spanContext();
    return {
      headers: headersFor(span),
      traceId: sc.traceId,
      spanId: sc.spanId,
      end(result) {
        if (result.statusCode !== undefined) span.setAttribute('http.status_code', result.statusCode);
        if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? 'delivery failed' });
        span.end();
      },
    };
  }
}
