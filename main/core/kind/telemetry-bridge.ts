/**
 * The cluster objects that carry a kind cluster's telemetry to the daemon: Trace/Log/MetricPipelines exporting
 * OTLP/HTTP to the daemon's bridge listener (otlp-bridge.ts explains where it listens and why), the Secret with
 * the bridge's bearer token the pipelines reference, and Istio's mesh-wide tracing at 100 %.
 *
 * The pipelines use an `http://` endpoint, which the telemetry module treats as plaintext (TLS `insecure`): the
 * traffic never leaves the host's `kind` bridge network, and the token keeps every other sender out.
 */
import type { KubeObjectLike } from './kube-client.js';

/** An object applied to the cluster as is (Secrets carry `type` and `data` beside the usual fields). */
export type ClusterObject = KubeObjectLike & Record<string, unknown>;

/** Where the bridge's token lives on the cluster; the pipelines read it with `valueFrom.secretKeyRef`. */
export const BRIDGE_TOKEN_SECRET = { name: 'kyma-local-telemetry-bridge', namespace: 'kyma-system', key: 'token' } as const;

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kyma-local' };

export const PIPELINE_NAME = 'kyma-local';
export const PIPELINE_KINDS = ['TracePipeline', 'LogPipeline', 'MetricPipeline'] as const;

export interface PipelineTarget {
  /** The bridge as pods see it, e.g. http://172.18.0.1:39417 (the otlphttp exporter appends /v1/<signal>). */
  endpoint: string;
}

/**
 * One pipeline per signal, `protocol: http`, sending `Authorization: Bearer <token>` from the Secret — the token
 * never appears in the pipeline objects, which `kubectl get` and the dashboard show.
 */
export function telemetryPipelines(target: PipelineTarget): ClusterObject[] {
  if (!/^http:\/\/[^/\s]+:\d+$/.test(target.endpoint)) throw new Error(`telemetry bridge endpoint "${target.endpoint}" must be http://<host>:<port> (the exporter appends /v1/<signal>)`);
  const output = {
    otlp: {
      protocol: 'http',
      endpoint: { value: target.endpoint },
      headers: [{ name: 'Authorization', prefix: 'Bearer', valueFrom: { secretKeyRef: { ...BRIDGE_TOKEN_SECRET } } }],
    },
  };
  return PIPELINE_KINDS.map((kind) => ({
    apiVersion: 'telemetry.kyma-project.io/v1beta1',
    kind,
    metadata: { name: PIPELINE_NAME, labels: { ...MANAGED_BY } },
    spec: { output },
  }));
}

/** The Secret holding the bridge's bearer token (a new one at every `up`, so an old copy is worthless). */
export function bridgeTokenSecret(token: string): ClusterObject {
  if (!/^[A-Za-z0-9_-]{32,}$/.test(token)) throw new Error('telemetry bridge token must be at least 32 URL-safe characters');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: BRIDGE_TOKEN_SECRET.name, namespace: BRIDGE_TOKEN_SECRET.namespace, labels: { ...MANAGED_BY } },
    type: 'Opaque',
    data: { [BRIDGE_TOKEN_SECRET.key]: Buffer.from(token, 'utf8').toString('base64') },
  };
}

/** Mesh-wide Istio tracing at 100 % for development (the module's default is 1 %); one such resource is allowed. */
export function istioTracing(samplingPercent = 100): ClusterObject {
  return {
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    metadata: { name: 'mesh-default', namespace: 'istio-system' },
    spec: { tracing: [{ providers: [{ name: 'kyma-traces' }], randomSamplingPercentage: samplingPercent }], accessLogging: [{ providers: [{ name: 'kyma-logs' }] }] },
  };
}
