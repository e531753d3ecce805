import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type TextMapGetter, type TextMapSetter, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';

export const GATEWAY_TRACER = 'kyma-local/application-gateway';

type Carrier = Record<string, string>;
const w3c = new W3CTraceContextPropagator();
const b3 = new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER });
const getter: TextMapGetter<Carrier> = { keys: (c) => Object.keys(c), get: (c, k) => c[k.toLowerCase()] };
const setter: TextMapSetter<Carrier> = { set: (c, k, v) => (c[k.toLowerCase()] = v) };

function parentOf(headers: Record<string, string | string[] | undefined>): Context {
  const carrier: Carrier = {};
  for (const [k, v] of Object.entries(headers)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && s) carrier[k.toLowerCase()] = s;
  }
  const fromW3c = w3c.extract(ROOT_CONTEXT, carrier, getter);
  return trace.getSpanContext(fromW3c) ? fromW3c : b3.extract(ROOT_CONTEXT, carrier, getter);
}

export interface CallSpan {
  /** traceparent and B3 headers naming this span as the target's parent. */
  readonly headers: Carrier;
  readonly traceId?: string;
  end(status: number, error?: string): void;
}

/** One span per gateway call, child of the caller's trace; without a provider only the caller's headers pass on. */
export class GatewayTracing {
  private readonly tracer: Tracer | undefined;
  constructor(provider?: TracerProvider) {
    this.tracer = provider?.getTracer(GATEWAY_TRACER);
  }

  start(name: string, incoming: Record<string, string | string[] | undefined>, attrs: Record<string, string>): CallSpan {
    if (!this.tracer) {
      const headers: Carrier = {};
      for (const h of ['traceparent', 'tracestate', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags']) {
        const v = incoming[h];
        if (typeof v === 'string') headers[h] = v;
      }
      return { headers, end: () => undefined };
    }
    const span: Span = this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: attrs }, parentOf(incoming));
    const headers: Carrier = {};
    const ctx = trace.setSpan(ROOT_CONTEXT, span);
    w3c.inject(ctx, headers, setter);
    b3.inject(ctx, headers, setter);
    return {
      headers,
      traceId: span.spanContext().traceId,
      end(status, error) {
        span.setAttribute('http.response.status_code', status);
        if (error || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, ...(error ? { message: error } : {}) });
        span.end();
      },
    };
  }
}
