import { stringify } from 'yaml';
import type { KubeObject, ObjectMeta } from '../model/index.js';

const KIND_ORDER = ['Function', 'Subscription', 'APIRule', 'Secret', 'Application'];
const LOCAL_PREFIX = 'kyma-local.io/';

/**
 * Multi-document YAML ready for `kubectl apply -f` on a real cluster: Functions first, then Subscriptions,
 * APIRules and anything else, each sorted by namespace/name; server-set metadata, status and kyma-local.io/*
 * annotations removed; keys in the order apiVersion, kind, metadata, spec.
 */
export function exportManifests(objects: KubeObject[]): string {
  const sorted = [...objects].sort((a, b) => rank(a) - rank(b) || key(a).localeCompare(key(b)));
  return sorted.map((o) => stringify(clean(o), { lineWidth: 0, minContentWidth: 0 })).join('---\n');
}

function rank(o: KubeObject): number {
  const i = KIND_ORDER.indexOf(o.kind);
  return i === -1 ? KIND_ORDER.length : i;
}

function key(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function clean(o: KubeObject): Record<string, unknown> {
  const { apiVersion, kind, metadata, spec, status: _status, ...rest } = o;
  const out: Record<string, unknown> = { apiVersion, kind, metadata: cleanMeta(metadata) };
  if (spec !== undefined) out.spec = structuredClone(spec);
  for (const k of Object.keys(rest).sort()) out[k] = structuredClone(rest[k]);
  return out;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function cleanMeta(m: ObjectMeta): Record<string, unknown> {
  const out: Record<string, unknown> = { name: m.name };
  if (m.namespace) out.namespace = m.namespace;
  if (m.labels && Object.keys(m.labels).length > 0) out.labels = { ...m.labels };
  // kubectl's last-applied copy is this cluster's bookkeeping, and for a Secret it holds the values in clear.
  const annotations = Object.fromEntries(Object.entries(m.annotations ?? {}).filter(([k]) => !k.startsWith(LOCAL_PREFIX) && k !== LAST_APPLIED));
  if (Object.keys(annotations).length > 0) out.annotations = annotations;
  return out;
}
