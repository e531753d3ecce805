import type { KubeObject, ResourceType } from '../model/index.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface ListOptions {
  /** Undefined lists across all namespaces. Ignored for cluster-scoped kinds. */
  namespace?: string;
  /** Kubernetes label selector syntax: `a=b,c!=d,e in (f,g),!h,i`. Invalid syntax throws ApiError 400. */
  labelSelector?: string;
  /** Only `metadata.name=` and `metadata.namespace=` are supported, like most CRDs. */
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Resume after this version; events newer than it are replayed first. Too old → ApiError 410 Gone. */
  resourceVersion?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json';

/**
 * The resource store: the embedded runtime's source of truth. Every method validates with the kind's
 * validator and throws `ApiError` (404, 409 AlreadyExists/Conflict, 422 Invalid, 410 Gone, 400).
 * Objects returned are copies; mutating them does not change the store.
 */
export interface Store {
  create(obj: KubeObject): Promise<KubeObject>;
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject;
  /** Returns undefined instead of throwing 404. */
  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  list(type: ResourceType, opts?: ListOptions): { items: KubeObject[]; resourceVersion: string };
  /** Replaces spec/metadata (status is kept). If obj.metadata.resourceVersion is set and stale → 409 Conflict. */
  update(obj: KubeObject): Promise<KubeObject>;
  /** Replaces only status (the status subresource); generation is unchanged. */
  updateStatus(obj: KubeObject): Promise<KubeObject>;
  patch(type: ResourceType, namespace: string | undefined, name: string, patch: unknown, patchType: PatchType): Promise<KubeObject>;
  /** Status patch through the status subresource (merge patch). */
  patchStatus(type: ResourceType, namespace: string | undefined, name: string, status: Record<string, unknown>): Promise<KubeObject>;
  delete(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject>;
  /** Subscribes to changes of one kind (or all kinds when type is undefined). Returns an unsubscribe function. */
  watch(type: ResourceType | undefined, opts: WatchOptions, listener: (ev: WatchEvent) => void): () => void;
  /** The current resourceVersion of the whole store. */
  currentResourceVersion(): string;
  /** Waits for pending writes to be durable. */
  flush(): Promise<void>;
}
