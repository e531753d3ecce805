import { randomUUID } from 'node:crypto';
import { alreadyExists, badRequest, conflict, invalid, isRecord, type KubeObject, type ResourceType } from '../../model/index.js';
import { jsonPatch, mergePatch, mergeStringData, type PatchType, type Store } from '../../store/index.js';
import type { ResourceRoute } from './routes.js';

/**
 * `?dryRun=All`: the request is defaulted and validated like a real one (same 409/422 answers) and the
 * would-be result is returned, but nothing is written.
 */
export function isDryRun(url: URL): boolean {
  const values = url.searchParams.getAll('dryRun').filter((v) => v !== '');
  if (values.length === 0) return false;
  if (values.every((v) => v === 'All')) return true;
  throw badRequest(`Invalid dry run value ${JSON.stringify(values)}: supported values are ["All"]`);
}

/** Like the store: Secret stringData folded into data, then defaulted and validated. */
function validated(type: ResourceType, version: string, obj: KubeObject): KubeObject {
  const defaulted = type.applyDefaults(mergeStringData(type, obj), version);
  const errors = type.validate(defaulted, version);
  if (errors.length > 0) throw invalid(type.kind, type.group, obj.metadata.name, errors);
  return defaulted;
}

export function dryRunCreate(store: Store, route: ResourceRoute, obj: KubeObject): KubeObject {
  const { type, version } = route;
  if (obj.metadata.name && store.find(type, obj.metadata.namespace, obj.metadata.name)) {
    throw alreadyExists(type.kind, type.group, obj.metadata.name);
  }
  // Like the store's create: status in a create request is ignored when status is a subresource.
  const { status: _status, ...rest } = obj;
  const out = validated(type, version, type.hasStatus ? (rest as KubeObject) : obj);
  return {
    ...out,
    metadata: { ...out.metadata, uid: randomUUID(), generation: 1, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
  };
}

export function dryRunUpdate(store: Store, route: ResourceRoute, obj: KubeObject): KubeObject {
  const { type, version, namespace, name } = route;
  const current = store.get(type, namespace, name!);
  const rv = obj.metadata.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(type.kind, type.group, name!);
  const next =
    route.subresource === 'status'
      ? { ...current, ...(obj.status ? { status: obj.status } : {}) }
      : { ...obj, metadata: { ...current.metadata, ...obj.metadata }, ...(current.status ? { status: current.status } : {}) };
  return validated(type, version, next);
}

export function dryRunPatch(store: Store, route: ResourceRoute, patch: unknown, patchType: PatchType): KubeObject {
  const { type, version, namespace, name } = route;
  const current = store.get(type, namespace, name!);
  // The store treats a strategic merge patch as a merge patch (no served kind declares merge keys); so does this.
  const next = (patchType === 'json' ? jsonPatch(current, patch) : mergePatch(current, patch)) as KubeObject;
  if (!isRecord(next) || !isRecord(next.metadata)) throw badRequest(`The patch for ${type.kind} "${name}" must leave an object with metadata`);
  if (route.subresource === 'status') return { ...current, ...(next.status ? { status: next.status } : {}) };
  const rv = next.metadata.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(type.kind, type.group, name!);
  return validated(type, version, next);
}
