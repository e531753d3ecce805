import { findTypeByKind, isRecord, type KubeList, type KubeObject, type ResourceType } from '../core/model/index.js';
import { DaemonRequestError, type DaemonClient } from '../core/daemon-client/index.js';
import type { ApplyOutcome } from '../core/api/index.js';
import { CliError } from './cli-error.js';
import { threeWayMergePatch } from './three-way-patch.js';

export function collectionPath(type: ResourceType, namespace: string | undefined): string {
  const base = type.group ? `/apis/${type.group}/${type.versions[0]}` : `/api/${type.versions[0]}`;
  return type.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}` : `${base}/${type.plural}`;
}

export function objectPath(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${collectionPath(type, type.namespaced ? (namespace ?? 'default') : undefined)}/${encodeURIComponent(name)}`;
}

export function typeOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceType {
  const type = findTypeByKind(obj.apiVersion, obj.kind);
  if (!type) throw new CliError(`no kind "${obj.kind}" in version "${obj.apiVersion}" — supported: Function, Subscription, APIRule, Application, Secret, ConfigMap`);
  return type;
}

/** The path of the object in the API version it was written in (APIRule v1beta1 stays v1beta1). */
function pathForManifest(type: ResourceType, obj: KubeObject): string {
  const version = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[1]! : obj.apiVersion;
  const base = type.group ? `/apis/${type.group}/${version}` : `/api/${version}`;
  const ns = type.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? 'default')}` : '';
  return `${base}${ns}/${type.plural}`;
}

export type { ApplyOutcome };

/** kubectl's record of what `kubectl apply` (and `kyma-local apply`) last applied, as JSON. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Go's encoding/json output (what kubectl writes): keys sorted at every level, <, >, & and U+2028/9 escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (!isRecord(v)) return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
  };
  const escapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
  return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => escapes[c]!);
}

/**
 * The manifest as kubectl records it in the annotation, byte for byte, so that a following `kubectl apply` of
 * the same file finds nothing to change: the object without the annotation (an empty annotations map stays),
 * as Go's JSON, plus a newline.
 */
function withLastApplied(obj: KubeObject): KubeObject {
  const { [LAST_APPLIED_ANNOTATION]: _old, ...annotations } = obj.metadata.annotations ?? {};
  const own: KubeObject = { ...obj, metadata: { ...obj.metadata, annotations } };
  const recorded = goJson(own) + '\n';
  return { ...own, metadata: { ...own.metadata, annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: recorded } } };
}

function lastApplied(live: KubeObject): Record<string, unknown> | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Client-side apply, compatible with `kubectl apply`: creates the object, or patches it with the three-way merge
 * of the last applied configuration (the annotation), the manifest and the live object, and records the
 * manifest in the annotation either way — so kubectl and kyma-local can take turns on the same objects.
 */
export async function applyObject(client: DaemonClient, obj: KubeObject): Promise<{ outcome: ApplyOutcome; object: KubeObject }> {
  const type = typeOf(obj);
  const base = pathForManifest(type, obj);
  const path = `${base}/${encodeURIComponent(obj.metadata.name)}`;
  // kubectl records the namespace it applied to; without it here, a later kubectl apply would patch it away.
  const namespace = type.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
  const modified = withLastApplied({ ...obj, metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) } });
  for (let attempt = 0; ; attempt++) {
    const live = await client.request<KubeObject | undefined>('GET', path, { allow404: true });
    if (!live) {
      try {
        return { outcome: 'created', object: await client.request<KubeObject>('POST', base, { body: modified }) };
      } catch (err) {
        // Created by someone else between GET and POST: patch it instead.
        if (err instanceof DaemonRequestError && err.code === 409 && attempt === 0) continue;
        throw err;
      }
    }
    const patch = threeWayMergePatch(lastApplied(live), modified as unknown as Record<string, unknown>, live as unknown as Record<string, unknown>);
    if (Object.keys(patch).length === 0) return { outcome: 'unchanged', object: live };
    // The resourceVersion makes the patch conditional: a change between GET and PATCH is a 409, retried once.
    const body = { ...patch, metadata: { ...(isRecord(patch.metadata) ? patch.metadata : {}), resourceVersion: live.metadata.resourceVersion } };
    try {
      const updated = await client.request<KubeObject>('PATCH', path, { body, contentType: 'application/merge-patch+json' });
      const outcome = updated.metadata.resourceVersion === live.metadata.resourceVersion ? 'unchanged' : 'configured';
      return { outcome, object: updated };
    } catch (err) {
      if (err instanceof DaemonRequestError && err.code === 409 && attempt === 0) continue;
      throw err;
    }
  }
}

export async function listObjects(client: DaemonClient, type: ResourceType, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  const list = await client.request<KubeList>('GET', collectionPath(type, namespace) + q);
  return list.items;
}
