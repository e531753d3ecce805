// Tracing as upstream's lib/tracer.js sets it up: ParentBased(AlwaysOn), OTLP/HTTP to TRACE_COLLECTOR_ENDPOINT
// (no exporter when unset), service.name = function name, W3C traceparent + B3 multi-header propagation.
// Upstream gets its server spans from @opentelemetry/instrumentation-http/-express; this runtime makes the
// one server span per request itself (server-span.ts), which keeps worker start-up light.
import { trace, type Span, type Tracer, context } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';

export const TRACER_NAME = 'io.kyma-project.serverless';

/** How long a finished span may wait to be exported with others. */
export const EXPORT_DELAY_MS = 100;

export interface Tracing {
  tracer: Tracer;
  /** Whether spans go anywhere (an exporter is configured); without one, request spans need not record. */
  exporting: boolean;
  /** Exports what is pending and stops the exporter; safe to call more than once. */
  shutdown(): Promise<void>;
}

export async function setupTracing(functionName: string, namespace: string, endpoint: string | undefined): Promise<Tracing> {
  const spanProcessors: SpanProcessor[] = [];
  if (endpoint) {
    // Loaded only when there is somewhere to export to: the exporter and its protobuf/transformer dependencies
    // take about a third of a worker's start-up, which every hot reload waits for.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    // Batched, but briefly: one export per span (SimpleSpanProcessor) cost each request more CPU (0.44 ms) than
    // serving it, and the daemon as much again to receive it. 100 ms still shows a trace live.
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: EXPORT_DELAY_MS, maxExportBatchSize: 512, maxQueueSize: 8192 }));
  }
  // The argument of merge() wins: the function's attributes go second, or service.name would be the
  // default "unknown_service:<node path>".
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'service.name': functionName || 'unknown_function',
      ...(namespace ? { 'k8s.namespace.name': namespace } : {}),
    }),
  );
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors,
  });
  provider.register({
    propagator: new CompositePropagator({
      propagators: [
        new W3CTraceContextPropagator(),
        new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
      ],
    }),
  });
  let done: Promise<void> | undefined;
  return {
    tracer: trace.getTracer(TRACER_NAME),
    exporting: spanProcessors.length > 0,
    shutdown: () => (done ??= provider.shutdown().catch(() => undefined)),
  };
}

/** The span active in the current async context, if any. */
export function currentSpan(): Span | undefined {
  return trace.getSpan(context.active());
}
