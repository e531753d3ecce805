import type { KubeObject } from '../model/index.js';
import type { FunctionConfig } from './types.js';

export const SUBSCRIPTION_API_VERSION = 'eventing.kyma-project.io/v1alpha2';

/** The in-cluster URL of a Function's Service; Subscriptions declared in config.yaml deliver there. */
export function functionSink(name: string, namespace: string): string {
  return `http://${name}.${namespace}.svc.cluster.local`;
}

/**
 * config.yaml `subscriptions[]` → Subscriptions, as hydroform does: unnamed ones are called `<fn>-<index>`,
 * the Function's labels are copied, the sink is the Function's Service.
 */
export function toSubscriptions(cfg: FunctionConfig): KubeObject[] {
  return cfg.subscriptions.map((s, i) => ({
    apiVersion: SUBSCRIPTION_API_VERSION,
    kind: 'Subscription',
    metadata: {
      name: s.name ?? `${cfg.name}-${i}`,
      namespace: cfg.namespace,
      ...(cfg.labels && Object.keys(cfg.labels).length > 0 ? { labels: { ...cfg.labels } } : {}),
    },
    spec: {
      sink: functionSink(cfg.name, cfg.namespace),
      ...(s.typeMatching ? { typeMatching: s.typeMatching } : {}),
      ...(s.source !== undefined ? { source: s.source } : {}),
      types: [...s.types],
    },
  }));
}
