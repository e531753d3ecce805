import { OTLP_FORWARDER_CONTAINER } from './pins.js';

/**
 * How cluster telemetry reaches the daemon's OTLP receiver, which stays on 127.0.0.1: pods cannot reach the
 * host's loopback, so a small forwarding collector runs as a container on network `kind` (pods resolve it by
 * container name) and exports to the receiver through the host gateway. The pipelines use OTLP/HTTP with an
 * `http://` endpoint, which the telemetry module treats as plaintext.
 */
export interface BridgeInput {
  /** The forwarder's address as seen from pods. */
  forwarderHost?: string;
  forwarderPort?: number;
}

export function telemetryPipelines(input: BridgeInput = {}): Array<Record<string, unknown>> {
  const endpoint = `http://${input.forwarderHost ?? OTLP_FORWARDER_CONTAINER}:${input.forwarderPort ?? 4318}`;
  const output = { otlp: { protocol: 'http', endpoint: { value: endpoint } } };
  const pipeline = (kind: string) => ({
    apiVersion: 'telemetry.kyma-project.io/v1beta1',
    kind,
    metadata: { name: 'kyma-local', labels: { 'app.kubernetes.io/managed-by': 'kyma-local' } },
    spec: { output },
  });
  return [pipeline('TracePipeline'), pipeline('LogPipeline'), pipeline('MetricPipeline')];
}

/** Mesh-wide Istio tracing at 100 % for development (the module's default is 1 %); one such resource is allowed. */
export function istioTracing(samplingPercent = 100): Record<string, unknown> {
  return {
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    metadata: { name: 'mesh-default', namespace: 'istio-system' },
    spec: { tracing: [{ providers: [{ name: 'kyma-traces' }], randomSamplingPercentage: samplingPercent }], accessLogging: [{ providers: [{ name: 'kyma-logs' }] }] },
  };
}

/**
 * The forwarder's collector config: OTLP/HTTP in on 0.0.0.0:4318 inside the container, OTLP/HTTP out to the
 * daemon's receiver. `receiverUrl` is the host as the container sees it (the `kind` network's gateway on
 * Linux, host.docker.internal on Docker Desktop), with the receiver's port.
 */
export function forwarderConfig(receiverUrl: string): string {
  return [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      http:',
    '        endpoint: 0.0.0.0:4318',
    'exporters:',
    '  otlphttp:',
    `    endpoint: ${receiverUrl}`,
    '    compression: none',
    'service:',
    '  pipelines:',
    '    traces: { receivers: [otlp], exporters: [otlphttp] }',
    '    logs: { receivers: [otlp], exporters: [otlphttp] }',
    '    metrics: { receivers: [otlp], exporters: [otlphttp] }',
    '',
  ].join('\n');
}
