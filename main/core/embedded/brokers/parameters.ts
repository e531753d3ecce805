import { isRecord, SECRET, type KubeObject } from '../../model/index.js';
import type { Store } from '../../store/index.js';

export class ParametersError extends Error {}

/**
 * `parameters` merged with every `parametersFrom[].secretKeyRef` (the key's value must be a JSON object). A top-level
 * name given twice is an error, as upstream (controllers/parameters.go).
 */
export function buildParameters(store: Store, obj: KubeObject): Record<string, unknown> {
  const spec = obj.spec ?? {};
  const ns = obj.metadata.namespace;
  const out: Record<string, unknown> = isRecord(spec.parameters) ? { ...spec.parameters } : {};
  const from = Array.isArray(spec.parametersFrom) ? spec.parametersFrom : [];
  from.forEach((entry: unknown, i) => {
    const ref = isRecord(entry) && isRecord(entry.secretKeyRef) ? entry.secretKeyRef : undefined;
    if (!ref) return;
    const field = `spec.parametersFrom[${i}].secretKeyRef`;
    const secret = store.find(SECRET, ns, String(ref.name));
    if (!secret) throw new ParametersError(`${field}: Secret "${String(ref.name)}" not found in namespace ${ns}`);
    const raw = secret.data?.[String(ref.key)];
    if (raw === undefined) throw new ParametersError(`${field}: Secret "${String(ref.name)}" has no key "${String(ref.key)}"`);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    } catch {
      throw new ParametersError(`${field}: the value of key "${String(ref.key)}" in Secret "${String(ref.name)}" is not JSON`);
    }
    if (!isRecord(value)) throw new ParametersError(`${field}: the value of key "${String(ref.key)}" must be a JSON object of parameters`);
    for (const [k, v] of Object.entries(value)) {
      if (k in out) throw new ParametersError(`${field}: parameter "${k}" is given twice (in parameters or another parametersFrom entry)`);
      out[k] = v;
    }
  });
  return out;
}
