import type { FieldError } from './errors.js';
import { validateMetadata } from './metadata-validation.js';
import { type KubeObject } from './object.js';
import { AGE_COLUMN } from './printer.js';
import type { ResourceType } from './resource-type.js';

export function validateApplication(obj: KubeObject): FieldError[] {
  return validateMetadata(obj, { namespaced: false, nameFormat: 'subdomain' });
}

export const APPLICATION: ResourceType = {
  group: 'applicationconnector.kyma-project.io',
  versions: ['v1alpha1'],
  kind: 'Application',
  listKind: 'ApplicationList',
  plural: 'applications',
  singular: 'application',
  shortNames: ['app'],
  namespaced: false,
  hasStatus: true,
  categories: ['all', 'kyma'],
  printerColumns: [AGE_COLUMN],
  validate: (obj) => validateApplication(obj),
  applyDefaults: (obj) => structuredClone(obj),
};
