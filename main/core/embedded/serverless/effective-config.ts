import { createHash } from 'node:crypto';
import { CONFIGMAP, DEFAULT_FUNCTION_PROFILE, isRecord, SECRET, type KubeObject } from '../../model/index.js';
import type { Store } from '../../store/index.js';

/** Everything that makes a revision: a change of any of it is a new revision; replicas are not part of it. */
export interface EffectiveConfig {
  runtime: string;
  source: string;
  /** package.json text; '' when the function has no dependencies. */
  dependencies: string;
  /** User env after resolving secretKeyRef / configMapKeyRef. */
  env: Record<string, string>;
  /** One entry per secretMount: the Secret's keys decoded. */
  mounts: Array<{ mountPath: string; secretName: string; files: Record<string, string> }>;
  profile: string;
  heapMb: number;
}

export class ConfigError extends Error {}

/**
 * Node heap limit per resource profile. Upstream profiles set a container memory limit (XS 256Mi, S 256Mi,
 * M 512Mi, L 1024Mi, XL 2048Mi); locally there is no cgroup, so the limit becomes `--max-old-space-size` at
 * 75% of it, leaving room for the non-heap part of the process like a container would need.
 */
const PROFILE_HEAP_MB: Record<string, number> = { XS: 192, S: 192, M: 384, L: 768, XL: 1536 };

const UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** Kubernetes quantity (e.g. 512Mi, 1G, 268435456) → bytes; undefined when unparsable. */
export function parseMemory(q: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(q.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? '']!;
}

export function resourceProfile(spec: Record<string, unknown>): { profile: string; heapMb: number } {
  const fn = isRecord(spec.resourceConfiguration) && isRecord(spec.resourceConfiguration.function) ? spec.resourceConfiguration.function : {};
  if (typeof fn.profile === 'string') return { profile: fn.profile, heapMb: PROFILE_HEAP_MB[fn.profile] ?? 768 };
  const limits = isRecord(fn.resources) && isRecord(fn.resources.limits) ? fn.resources.limits : {};
  const bytes = typeof limits.memory === 'string' ? parseMemory(limits.memory) : undefined;
  if (bytes !== undefined) return { profile: 'custom', heapMb: Math.max(32, Math.floor((bytes / 1024 ** 2) * 0.75)) };
  return { profile: DEFAULT_FUNCTION_PROFILE, heapMb: PROFILE_HEAP_MB[DEFAULT_FUNCTION_PROFILE]! };
}

function decode(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

function secretData(store: Store, ns: string, name: string, where: string): Record<string, string> {
  const s = store.find(SECRET, ns, name);
  if (!s) throw new ConfigError(`Secret "${ns}/${name}" not found (${where}); create it, e.g. kubectl create secret generic ${name} -n ${ns} --from-literal=KEY=VALUE`);
  return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, decode(v)]));
}

function configMapData(store: Store, ns: string, name: string, where: string): Record<string, string> {
  const c = store.find(CONFIGMAP, ns, name);
  if (!c) throw new ConfigError(`ConfigMap "${ns}/${name}" not found (${where}); create it, e.g. kubectl create configmap ${name} -n ${ns} --from-literal=KEY=VALUE`);
  return { ...(c.data ?? {}), ...Object.fromEntries(Object.entries(c.binaryData ?? {}).map(([k, v]) => [k, decode(v)])) };
}

function resolveEnv(store: Store, ns: string, env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(env)) return out;
  env.forEach((e: unknown, i) => {
    if (!isRecord(e) || typeof e.name !== 'string') return;
    const vf = isRecord(e.valueFrom) ? e.valueFrom : undefined;
    const ref = vf && isRecord(vf.secretKeyRef) ? { kind: 'secret', r: vf.secretKeyRef } : vf && isRecord(vf.configMapKeyRef) ? { kind: 'configMap', r: vf.configMapKeyRef } : undefined;
    if (!ref) {
      out[e.name] = typeof e.value === 'string' ? e.value : '';
      return;
    }
    const where = `spec.env[${i}].valueFrom.${ref.kind}KeyRef`;
    const refName = String(ref.r.name);
    const key = String(ref.r.key);
    const optional = ref.r.optional === true;
    const data = (() => {
      try {
        return ref.kind === 'secret' ? secretData(store, ns, refName, where) : configMapData(store, ns, refName, where);
      } catch (err) {
        if (optional) return {};
        throw err;
      }
    })();
    if (key in data) out[e.name] = data[key]!;
    else if (!optional) throw new ConfigError(`Key "${key}" not found in ${ref.kind === 'secret' ? 'Secret' : 'ConfigMap'} "${ns}/${refName}" (${where}); keys present: ${Object.keys(data).join(', ') || 'none'}`);
  });
  return out;
}

/** Resolves references; throws ConfigError with the field and the fix when a Secret/ConfigMap/key is missing. */
export function effectiveConfig(store: Store, fn: KubeObject): EffectiveConfig {
  const spec = fn.spec ?? {};
  const ns = fn.metadata.namespace ?? 'default';
  const inline = isRecord(spec.source) && isRecord(spec.source.inline) ? spec.source.inline : {};
  const mounts = (Array.isArray(spec.secretMounts) ? spec.secretMounts : []).filter(isRecord).map((m, i) => ({
    mountPath: String(m.mountPath),
    secretName: String(m.secretName),
    files: secretData(store, ns, String(m.secretName), `spec.secretMounts[${i}]`),
  }));
  const deps = typeof inline.dependencies === 'string' ? inline.dependencies.trim() : '';
  return {
    runtime: String(spec.runtime),
    source: typeof inline.source === 'string' ? inline.source : '',
    dependencies: deps,
    env: resolveEnv(store, ns, spec.env),
    mounts,
    ...resourceProfile(spec),
  };
}

export function contentHash(c: EffectiveConfig): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex');
}

/** Names of Secrets and ConfigMaps a Function reads (env refs and secretMounts), as `Secret/name`, `ConfigMap/name`. */
export function referencedObjects(fn: KubeObject): Set<string> {
  const spec = fn.spec ?? {};
  const out = new Set<string>();
  for (const e of Array.isArray(spec.env) ? spec.env : []) {
    const vf = isRecord(e) && isRecord(e.valueFrom) ? e.valueFrom : undefined;
    if (vf && isRecord(vf.secretKeyRef)) out.add(`Secret/${String(vf.secretKeyRef.name)}`);
    if (vf && isRecord(vf.configMapKeyRef)) out.add(`ConfigMap/${String(vf.configMapKeyRef.name)}`);
  }
  for (const m of Array.isArray(spec.secretMounts) ? spec.secretMounts : []) {
    if (isRecord(m)) out.add(`Secret/${String(m.secretName)}`);
  }
  return out;
}
