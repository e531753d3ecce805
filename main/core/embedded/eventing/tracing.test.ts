import { InMemorySpanExporter, BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { EventTracing, extractParent } from './tracing.js';
import { trace } from '@opentelemetry/api';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

function setup(): { tracing: EventTracing; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracing: new EventTracing(provider), exporter };
}

const event = new CloudEvent<unknown>({ id: 'e1', type: 'order.created.v1', source: 'shop', data: { id: 1 } });

describe('eventing spans', () => {
  it('parents the publish span on B3-only headers and hands its own context downstream', () => {
    const { tracing, exporter } = setup();
    const span = tracing.startPublish(event, 'order.created.v1', 'kyma.shop.order.created.v1', { 'x-b3-traceid': TRACE, 'x-b3-spanid': PARENT, 'x-b3-sampled': '1' }, 'publish')!;
    span.end();
    const [finished] = exporter.getFinishedSpans();
    expect(finished!.parentSpanContext?.spanId).toBe(PARENT);
    expect(finished!.spanContext().traceId).toBe(TRACE);
    const own = finished!.spanContext().spanId;
    expect(span.extensions).toMatchObject({ traceparent: `00-${TRACE}-${own}-01`, b3traceid: TRACE, b3spanid: own, b3parentspanid: PARENT });
  });

  it('parents the deliver span on the event’s traceparent, marks failures, and sends its own context', () => {
    const { tracing, exporter } = setup();
    const stored = event.cloneWith({ traceparent: `00-${TRACE}-${PARENT}-01` });
    const span = tracing.startDelivery(stored, { subject: 'kyma.shop.order.created.v1', subscription: { namespace: 'default', name: 's' }, sink: 'http://b.default', attempt: 2 })!;
    span.end({ ok: false, statusCode: 500, error: 'sink answered 500' });
    const [finished] = exporter.getFinishedSpans();
    expect(finished!.parentSpanContext?.spanId).toBe(PARENT);
    expect(finished!.status.code).toBe(2);
    expect(finished!.attributes).toMatchObject({ attempt: 2, 'http.status_code': 500, subscription: 'default/s' });
    expect(trace.getSpanContext(extractParent(span.headers))?.spanId).toBe(span.spanId);
    expect(span.headers['x-b3-spanid']).toBe(span.spanId);
  });

  it('makes no spans without a provider', () => {
    expect(new EventTracing().startPublish(event, 'order.created.v1', 'kyma.shop.order.created.v1', {}, 'api')).toBeUndefined();
  });
});
