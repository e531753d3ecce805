// Resources as the Kubernetes-shaped API serves them (the model's types; the wire format is the model).
import type { KubeObject } from '../model/index.js';
export type { Condition, KubeList, KubeObject, ObjectMeta } from '../model/index.js';

/** What `apply` did, as kubectl prints it. */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/** One change of a watched resource. */
export interface ResourceChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}
