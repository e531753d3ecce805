import { ApiError, badRequest, isRecord, type KubeObject } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { appliedFields, deletePath, dotted, fromFieldsV1, getPath, mergeApplied, overlaps, sameValue, toFieldsV1, type FieldSet } from './apply-fields.js';
import { dryRunCreate, dryRunUpdate } from './dry-run.js';
import type { ResourceRoute } from './routes.js';

/** One metadata.managedFields entry, as the apiserver writes it. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ApplyRequest {
  store: Store;
  route: ResourceRoute;
  /** The applied configuration, already checked against the route (objectForRoute). */
  applied: KubeObject;
  fieldManager: string | null;
  force: boolean;
  dryRun: boolean;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function entries(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const mf = obj?.metadata.managedFields;
  return Array.isArray(mf) ? (mf.filter((e) => isRecord(e) && typeof e.manager === 'string') as unknown as ManagedFieldsEntry[]) : [];
}

/** Apply's 409: names every conflicting field and manager, as kubectl shows it before suggesting --force-conflicts. */
function conflictError(conflicts: Array<{ manager: string; field: string }>): ApiError {
  const lines = conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`);
  const msg = conflicts.length === 1 ? `Apply failed with 1 conflict: ${lines[0]}` : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  return new ApiError(409, 'Conflict', msg, { causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"`, field: c.field })) } as never);
}

/**
 * Server-side apply (PATCH with application/apply-patch+yaml): creates the object when absent; otherwise merges
 * the applied fields in, removes fields this manager applied before and no longer sets, and refuses (409)
 * to change a value another manager owns unless `force`. Ownership is kept in metadata.managedFields.
 */
export async function serverSideApply(r: ApplyRequest): Promise<{ obj: KubeObject; created: boolean }> {
  const { store, route, applied } = r;
  const manager = r.fieldManager ?? '';
  if (manager === '') {
    throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  if (applied.metadata.resourceVersion !== undefined && applied.metadata.resourceVersion !== '') {
    const cur = store.find(route.type, route.namespace, route.name!);
    if (cur && cur.metadata.resourceVersion !== applied.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${route.type.plural} "${route.name!}": the object has been modified; please apply your changes to the latest version and try again`);
    }
  }
  const status = route.subresource === 'status';
  const subresource = status ? { subresource: 'status' } : {};
  const mine = (e: ManagedFieldsEntry): boolean => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (status ? 'status' : '');
  const fields = appliedFields(applied as unknown as Record<string, unknown>, status);
  const current = store.find(route.type, route.namespace, route.name!);
  const entry = (set: FieldSet): ManagedFieldsEntry => ({ manager, operation: 'Apply', apiVersion: applied.apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(set), ...subresource });

  if (!current) {
    if (status) throw new ApiError(404, 'NotFound', `${route.type.plural} "${route.name!}" not found`);
    const obj: KubeObject = { ...structuredClone(applied), metadata: { ...applied.metadata, managedFields: [entry(fields)] } };
    const created = r.dryRun ? dryRunCreate(store, route, obj) : await store.create(obj);
    return { obj: created, created: true };
  }

  const others = entries(current).filter((e) => !mine(e));
  const previous = entries(current).filter(mine).flatMap((e) => [...fromFieldsV1(e.fieldsV1)]);
  const conflicts: Array<{ manager: string; field: string }> = [];
  const otherSets = others.map((e) => ({ e, set: fromFieldsV1(e.fieldsV1) }));
  for (const f of fields) {
    const path = JSON.parse(f) as string[];
    for (const { e, set } of otherSets) {
      for (const owned of set) {
        if (!overlaps(owned, f)) continue;
        const ownedPath = JSON.parse(owned) as string[];
        const longer = ownedPath.length > path.length ? ownedPath : path;
        if (sameValue(getPath(current, longer), getPath(applied, longer))) continue;
        if (r.force) set.delete(owned);
        else conflicts.push({ manager: e.manager, field: dotted(owned) });
      }
    }
  }
  if (conflicts.length > 0) throw conflictError(conflicts);

  let next = structuredClone(current) as unknown as Record<string, unknown>;
  const ownedByOthers = (p: string): boolean => otherSets.some(({ set }) => [...set].some((o) => overlaps(o, p)));
  for (const p of previous) {
    if (!fields.has(p) && ![...fields].some((f) => overlaps(f, p)) && !ownedByOthers(p)) deletePath(next, JSON.parse(p) as string[]);
  }
  const { metadata: appliedMeta, ...appliedRest } = applied as unknown as Record<string, unknown>;
  const source = status ? { status: appliedRest.status } : Object.fromEntries(Object.entries(appliedRest).filter(([k]) => k !== 'status'));
  next = mergeApplied(next, source);
  if (isRecord(appliedMeta)) {
    for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
      if (appliedMeta[k] !== undefined) (next.metadata as Record<string, unknown>)[k] = isRecord(appliedMeta[k]) && isRecord((next.metadata as Record<string, unknown>)[k]) ? mergeApplied((next.metadata as Record<string, Record<string, unknown>>)[k]!, appliedMeta[k] as Record<string, unknown>) : structuredClone(appliedMeta[k]);
    }
  }
  const managed = [...otherSets.filter(({ set }) => set.size > 0).map(({ e, set }) => ({ ...e, fieldsV1: toFieldsV1(set) })), entry(fields)];
  const obj = { ...(next as unknown as KubeObject) };
  obj.metadata = { ...obj.metadata, managedFields: managed };
  delete obj.metadata.resourceVersion;
  if (r.dryRun) return { obj: dryRunUpdate(store, route, obj), created: false };
  if (status) {
    await store.updateStatus(obj);
    // Ownership of status fields is metadata: record it with a plain update that leaves spec unchanged.
    const after = store.get(route.type, route.namespace, route.name!);
    const out = await store.update({ ...after, metadata: { ...after.metadata, managedFields: managed } });
    return { obj: out, created: false };
  }
  return { obj: await store.update(obj), created: false };
}

export function parseForce(v: string | null): boolean {
  if (v === null || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw badRequest(`force must be true or false, not "${v}"`);
}
