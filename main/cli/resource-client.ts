import { findTypeByKind, type KubeList, type KubeObject, type ResourceType } from '../core/model/index.js';
import { DaemonRequestError, type DaemonClient } from '../core/daemon-client/index.js';
import type { ApplyOutcome } from '../core/api/index.js';
import { CliError } from './cli-error.js';

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

/**
 * Create-or-update, like `kubectl apply` for a single writer: the manifest replaces spec/labels/annotations,
 * the server keeps status; a concurrent change between GET and PUT is retried once.
 */
export async function applyObject(client: DaemonClient, obj: KubeObject): Promise<{ outcome: ApplyOutcome; object: KubeObject }> {
  const type = typeOf(obj);
  const base = pathForManifest(type, obj);
  const path = `${base}/${encodeURIComponent(obj.metadata.name)}`;
  for (let attempt = 0; ; attempt++) {
    const existing = await client.request<KubeObject | undefined>('GET', path, { allow404: true });
    if (!existing) {
      const created = await client.request<KubeObject>('POST', base, { body: obj });
      return { outcome: 'created', object: created };
    }
    const next: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } };
    try {
      const updated = await client.request<KubeObject>('PUT', path, { body: next });
      const outcome = updated.metadata.resourceVersion === existing.metadata.resourceVersion ? 'unchanged' : 'configured';
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
