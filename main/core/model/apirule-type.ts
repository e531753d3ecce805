import type { FieldError } from './errors.js';
import { required } from './field-errors.js';
import { validateMetadata } from './metadata-validation.js';
import { isRecord, type KubeObject } from './object.js';
import { AGE_COLUMN, getPath, pathColumn } from './printer.js';
import type { ResourceType } from './resource-type.js';
import { DEFAULT_APIRULE_GATEWAY, DEFAULT_APIRULE_TIMEOUT, validateApiRuleV2Spec } from './apirule-v2.js';
import { validateApiRuleV1beta1Spec } from './apirule-v1beta1.js';

export function validateApiRule(obj: KubeObject, version: string): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
  if (!isRecord(obj.spec)) return [...errs, required('spec')];
  return [...errs, ...(version === 'v1beta1' ? validateApiRuleV1beta1Spec(obj.spec) : validateApiRuleV2Spec(obj.spec))];
}

/** v2 (and v2alpha1, same schema) defaults (api-gateway's CRD defaults); v1beta1 manifests are stored as submitted. */
export function defaultApiRule(obj: KubeObject, version: string): KubeObject {
  const out = structuredClone(obj);
  if ((version !== 'v2' && version !== 'v2alpha1') || !isRecord(out.spec)) return out;
  if (out.spec.timeout === undefined) out.spec.timeout = DEFAULT_APIRULE_TIMEOUT;
  if (out.spec.gateway === undefined || out.spec.gateway === '') out.spec.gateway = DEFAULT_APIRULE_GATEWAY;
  return out;
}

/** v2 has hosts[0]; v1beta1 has host. */
function host(o: KubeObject): string | undefined {
  const h = getPath(o, 'spec.hosts');
  if (Array.isArray(h) && typeof h[0] === 'string') return h[0];
  const single = getPath(o, 'spec.host');
  return typeof single === 'string' ? single : undefined;
}

export const APIRULE: ResourceType = {
  group: 'gateway.kyma-project.io',
  versions: ['v2', 'v2alpha1', 'v1beta1'],
  kind: 'APIRule',
  listKind: 'APIRuleList',
  plural: 'apirules',
  singular: 'apirule',
  shortNames: [],
  namespaced: true,
  hasStatus: true,
  categories: ['all', 'kyma'],
  printerColumns: [pathColumn('STATE', 'status.state'), { name: 'HOST', type: 'string', value: host }, AGE_COLUMN],
  validate: (obj, version) => validateApiRule(obj, version),
  applyDefaults: (obj, version) => defaultApiRule(obj, version),
};
