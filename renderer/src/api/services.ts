import { api } from './client.js';
import type { KubeList, KubeObject } from './types.js';

// Service consumption, read through the resource API (ServiceBroker status carries each broker's catalog).
const SERVICES = '/apis/services.cloud.sap.com/v1';
const BROKERS = '/apis/services.kyma-local.dev/v1alpha1/servicebrokers';
const FUNCTIONS = '/apis/serverless.kyma-project.io/v1alpha2/functions';

export interface CatalogData {
  brokers: KubeObject[];
  instances: KubeObject[];
  bindings: KubeObject[];
  functions: KubeObject[];
}

export async function loadCatalog(signal: AbortSignal): Promise<CatalogData> {
  const [brokers, instances, bindings, functions] = await Promise.all([
    api<KubeList>(BROKERS, { signal }),
    api<KubeList>(`${SERVICES}/serviceinstances`, { signal }),
    api<KubeList>(`${SERVICES}/servicebindings`, { signal }),
    api<KubeList>(FUNCTIONS, { signal }),
  ]);
  return { brokers: brokers.items, instances: instances.items, bindings: bindings.items, functions: functions.items };
}

/** A binding Secret's values, decoded; fetched only when the user asks to reveal them. */
export async function revealSecret(namespace: string, name: string): Promise<Record<string, string>> {
  const s = await api<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`);
  return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, atob(v)]));
}
