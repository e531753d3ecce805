import type { FieldError } from './errors.js';
import { validateMetadata } from './metadata-validation.js';
import { type KubeObject } from './object.js';
import { AGE_COLUMN, pathColumn } from './printer.js';
import type { ResourceType } from './resource-type.js';

export function validateApiRule(obj: KubeObject, _version: string): FieldError[] {
  return validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
}

export const APIRULE: ResourceType = {
  group: 'gateway.kyma-project.io',
  versions: ['v2', 'v1beta1'],
  kind: 'APIRule',
  listKind: 'APIRuleList',
  plural: 'apirules',
  singular: 'apirule',
  shortNames: [],
  namespaced: true,
  hasStatus: true,
  categories: ['all', 'kyma'],
  printerColumns: [pathColumn('STATE', 'status.state'), pathColumn('HOST', 'spec.hosts.0'), AGE_COLUMN],
  validate: (obj, version) => validateApiRule(obj, version),
  applyDefaults: (obj) => structuredClone(obj),
};
