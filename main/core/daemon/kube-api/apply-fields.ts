import { isRecord } from '../../model/index.js';
import { deepEqual } from '../../store/index.js';

/**
 * Field ownership for server-side apply. A field path is a list of map keys; lists are atomic (owned and
 * replaced whole), as for CRDs without list-map keys. Paths are kept as JSON strings so they fit in a Set.
 */
export type FieldSet = Set<string>;

/** Identity and server-set fields are never owned (the apiserver leaves them out of fieldsV1 too). */
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'managedFields', 'selfLink', 'generateName']);

/** The leaf paths an applied configuration sets (status excluded unless `statusOnly`). */
export function appliedFields(obj: Record<string, unknown>, statusOnly = false): FieldSet {
  const out: FieldSet = new Set();
  const walk = (v: unknown, path: string[]): void => {
    if (isRecord(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
    } else out.add(JSON.stringify(path));
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (statusOnly !== (k === 'status')) continue;
    if (k === 'metadata') {
      if (!isRecord(v)) continue;
      for (const [mk, mv] of Object.entries(v)) if (!SKIP_META.has(mk)) walk(mv, ['metadata', mk]);
      continue;
    }
    walk(v, [k]);
  }
  return out;
}

/** The apiserver's fieldsV1 encoding: `{"f:spec":{"f:replicas":{}}}`. */
export function toFieldsV1(fields: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of fields) {
    let cur = root;
    for (const key of JSON.parse(p) as string[]) {
      const k = `f:${key}`;
      cur[k] ??= {};
      cur = cur[k] as Record<string, unknown>;
    }
  }
  return root;
}

/** Reads fieldsV1 back; unknown encodings (k:, v:, i: from a real apiserver) own their whole parent. */
export function fromFieldsV1(v: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, path: string[]): void => {
    const keys = isRecord(node) ? Object.keys(node).filter((k) => k !== '.') : [];
    const fieldKeys = keys.filter((k) => k.startsWith('f:'));
    if (fieldKeys.length === 0 || fieldKeys.length !== keys.length) {
      if (path.length > 0) out.add(JSON.stringify(path));
      return;
    }
    for (const k of fieldKeys) walk((node as Record<string, unknown>)[k], [...path, k.slice(2)]);
  };
  walk(v, []);
  return out;
}

export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Removes a leaf and then any map it leaves empty (an applier that stops setting a field drops it). */
export function deletePath(obj: Record<string, unknown>, path: readonly string[]): void {
  const parents: Array<Record<string, unknown>> = [];
  let cur: unknown = obj;
  for (const k of path.slice(0, -1)) {
    if (!isRecord(cur)) return;
    parents.push(cur);
    cur = cur[k];
  }
  if (!isRecord(cur)) return;
  delete cur[path[path.length - 1]!];
  for (let i = parents.length - 1; i >= 0; i--) {
    const child = parents[i]![path[i]!];
    if (isRecord(child) && Object.keys(child).length === 0 && i > 0) delete parents[i]![path[i]!];
    else break;
  }
}

/** Maps merge recursively; leaves and lists replace. */
export function mergeApplied(target: Record<string, unknown>, applied: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(applied)) {
    out[k] = isRecord(v) && isRecord(out[k]) && Object.keys(v).length > 0 ? mergeApplied(out[k] as Record<string, unknown>, v) : structuredClone(v);
  }
  return out;
}

/** Two paths overlap when one is a prefix of the other (owning `.spec` conflicts with setting `.spec.x`). */
export function overlaps(a: string, b: string): boolean {
  const pa = JSON.parse(a) as string[];
  const pb = JSON.parse(b) as string[];
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) if (pa[i] !== pb[i]) return false;
  return true;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return deepEqual(a, b);
}

/** `.spec.replicas`, as the apiserver prints paths in conflict messages. */
export function dotted(p: string): string {
  return (JSON.parse(p) as string[]).map((k) => `.${k}`).join('');
}
