import { ApiError, findTypeByKind, unknownKind, type KubeObject, type ResourceType } from '../model/index.js';
import type { ApplyOutcome, ResourceChange } from '../api/index.js';
import type { Store } from './store.js';

function typeOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType {
  const type = findTypeByKind(obj.apiVersion, obj.kind);
  if (type) return type;
  throw unknownKind(obj.apiVersion, obj.kind);
}

function namespaceOf(type: ResourceType, obj: Pick<KubeObject, 'metadata'>): string | undefined {
  return type.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
}

export type { ApplyOutcome };

/**
 * `kubectl apply` semantics on the store: create when absent, otherwise update. A resourceVersion in the
 * object is kept, so a stale one is a 409 Conflict; without one the update is unconditional. The outcome says
 * what happened, as kubectl prints it.
 */
export async function applyObject(store: Store, obj: KubeObject): Promise<{ outcome: ApplyOutcome; object: KubeObject }> {
  const type = typeOf(obj);
  const namespace = namespaceOf(type, obj);
  const target: KubeObject = { ...obj, metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) } };
  let existing = store.find(type, namespace, obj.metadata.name);
  if (!existing) {
    try {
      return { outcome: 'created', object: await store.create(target) };
    } catch (err) {
      // Created concurrently by someone else: fall through to update.
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
      existing = store.find(type, namespace, obj.metadata.name);
    }
  }
  const object = await store.update(target);
  return { outcome: object.metadata.resourceVersion === existing?.metadata.resourceVersion ? 'unchanged' : 'configured', object };
}

export async function deleteObject(store: Store, obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
  const type = typeOf(obj);
  await store.delete(type, namespaceOf(type, obj), obj.metadata.name);
}

export function watchObjects(store: Store, listener: (change: ResourceChange) => void): () => void {
  return store.watch(undefined, {}, (ev) => listener({ type: ev.type, object: ev.object }));
}
