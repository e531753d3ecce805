import { findTypeByKind, ApiError, type KubeObject } from '../model/index.js';
import type { Store } from '../store/index.js';

export type StoreApplyOutcome = 'created' | 'configured' | 'unchanged';

/** Create-or-update by name (apply semantics for daemon-internal writers such as the dev loop). */
export async function applyToStore(store: Store, obj: KubeObject): Promise<{ outcome: StoreApplyOutcome; object: KubeObject }> {
  const type = findTypeByKind(obj.apiVersion, obj.kind);
  if (!type) throw new ApiError(400, 'BadRequest', `no kind "${obj.kind}" in version "${obj.apiVersion}"`);
  const existing = store.find(type, obj.metadata.namespace, obj.metadata.name);
  if (!existing) return { outcome: 'created', object: await store.create(obj) };
  const next: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } };
  const updated = await store.update(next);
  return { outcome: updated.metadata.resourceVersion === existing.metadata.resourceVersion ? 'unchanged' : 'configured', object: updated };
}
