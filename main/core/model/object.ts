/** Kubernetes-shaped object metadata, as stored and served by the resource API. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  uid?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** While non-empty, a delete only sets deletionTimestamp; the object goes when its controller removes the last one. */
  finalizers?: string[];
  managedFields?: unknown[];
}

/** Any resource the API serves. Kinds with spec/status use those; Secret and ConfigMap use data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  /** Kinds with conditions (Function, Subscription, APIRule, Application) keep them under status.conditions. */
  status?: Record<string, unknown> & { conditions?: Condition[] };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
  [key: string]: unknown;
}

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string };
  items: KubeObject[];
}

/** A condition in the shape Kyma's controllers write. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
