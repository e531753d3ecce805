import type { KubeObject, ResourceType } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { carryTransitionTimes, type ConditionStatus } from './conditions.js';

/**
 * Writes `conditions`/`ready` plus `extra` fields into the object's status (a merge patch: `null` removes a field).
 * Unchanged condition timestamps are kept, so a repeated write is a no-op and wakes no watcher.
 */
export async function writeStatus(store: Store, type: ResourceType, obj: KubeObject, cs: ConditionStatus | undefined, extra: Record<string, unknown> = {}): Promise<void> {
  const cur = store.find(type, obj.metadata.namespace, obj.metadata.name);
  if (!cur) return;
  const patch: Record<string, unknown> = { ...extra };
  if (cs) {
    patch.conditions = carryTransitionTimes(cs.conditions, cur.status?.conditions);
    patch.ready = cs.ready;
  }
  await store.patchStatus(type, cur.metadata.namespace, cur.metadata.name, patch);
}
