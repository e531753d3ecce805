// Resources as the Kubernetes-shaped API serves them (the model's types; the wire format is the model).
import type { KubeObject } from '../model/index.js';
export type { Condition, KubeList, KubeObject, ObjectMeta } from '../model/index.js';

/** The answer of the daemon's own list routes (GET /kl/v1/functions, /events, /traces, …). */
export interface Items<T> {
  items: T[];
}

/** What `apply` did, as kubectl prints it. */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/** One change of a watched resource. */
export interface ResourceChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}
