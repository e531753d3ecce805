import { isMap, type YAMLMap } from 'yaml';
import { FORBIDDEN_ENV_NAMES as MODEL_FORBIDDEN_ENV_NAMES } from '../model/index.js';
import type { EnvVarConfig } from './types.js';
import { childField, type NodeChecker } from './yaml-nodes.js';

/** Names the serverless runtime sets itself; Kyma rejects a Function that overrides them (KYMA-SPEC §1). */
export const FORBIDDEN_ENV_NAMES: readonly string[] = MODEL_FORBIDDEN_ENV_NAMES;

// Kubernetes' rule for EnvVar names (IsEnvVarName).
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function parseEnv(c: NodeChecker, root: YAMLMap): EnvVarConfig[] | undefined {
  const items = c.mapList(root, 'env', '');
  if (!items) return undefined;
  const out: EnvVarConfig[] = [];
  const seen = new Set<string>();
  for (const { m, field } of items) {
    const env = parseEnvEntry(c, m, field);
    if (!env) continue;
    if (seen.has(env.name)) c.fail(c.get(m, 'name'), childField(field, 'name'), `duplicate env name "${env.name}": remove one of the entries`);
    seen.add(env.name);
    out.push(env);
  }
  return out;
}

function parseEnvEntry(c: NodeChecker, m: YAMLMap, field: string): EnvVarConfig | undefined {
  c.checkKeys(m, field, ['name', 'value', 'valueFrom']);
  const name = c.string(m, 'name', field, { required: 'give the variable a name, e.g. `name: GREETING`' });
  const value = c.string(m, 'value', field);
  const hasValueFrom = c.has(m, 'valueFrom');
  if (name === undefined) return undefined;
  const nameField = childField(field, 'name');
  if (!ENV_NAME.test(name)) {
    c.fail(c.get(m, 'name'), nameField, `invalid env name "${name}": use letters, digits, "_", "-" or "." and do not start with a digit`);
    return undefined;
  }
  if ((FORBIDDEN_ENV_NAMES as readonly string[]).includes(name)) {
    c.fail(c.get(m, 'name'), nameField, `env name "${name}" is reserved by the Kyma function runtime: rename the variable`);
    return undefined;
  }
  if (value !== undefined && hasValueFrom) {
    c.fail(c.get(m, 'valueFrom'), childField(field, 'valueFrom'), `${field} has both value and valueFrom: keep only one`);
    return undefined;
  }
  if (!hasValueFrom) return value === undefined ? { name } : { name, value };
  const valueFrom = parseValueFrom(c, c.get(m, 'valueFrom'), childField(field, 'valueFrom'));
  return valueFrom ? { name, valueFrom } : undefined;
}

function parseValueFrom(c: NodeChecker, node: unknown, field: string): EnvVarConfig['valueFrom'] | undefined {
  const m = c.map(node, field);
  if (!m) return undefined;
  c.checkKeys(m, field, ['secretKeyRef', 'configMapKeyRef']);
  const refs = (['secretKeyRef', 'configMapKeyRef'] as const).filter((k) => c.has(m, k));
  if (refs.length !== 1) {
    c.fail(m, field, `${field} needs exactly one of secretKeyRef or configMapKeyRef, found ${refs.length === 0 ? 'none' : 'both'}`);
    return undefined;
  }
  const kind = refs[0] as 'secretKeyRef' | 'configMapKeyRef';
  const refField = childField(field, kind);
  const ref = c.get(m, kind);
  if (!isMap(ref)) {
    c.fail(ref ?? m, refField, `${refField} must be a mapping with name and key`);
    return undefined;
  }
  c.checkKeys(ref, refField, ['name', 'key']);
  const what = kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap';
  const name = c.string(ref, 'name', refField, { required: `the ${what}'s name` });
  const key = c.string(ref, 'key', refField, { required: `the key inside the ${what}` });
  if (name === undefined || key === undefined) return undefined;
  return { [kind]: { name, key } };
}
