import type { FieldError } from './errors.js';
import { validateMetadata } from './metadata-validation.js';
import { type KubeObject } from './object.js';
import { AGE_COLUMN, pathColumn } from './printer.js';
import type { ResourceType } from './resource-type.js';

export function validateSubscription(obj: KubeObject): FieldError[] {
  return validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
}

export const SUBSCRIPTION: ResourceType = {
  group: 'eventing.kyma-project.io',
  versions: ['v1alpha2'],
  kind: 'Subscription',
  listKind: 'SubscriptionList',
  plural: 'subscriptions',
  singular: 'subscription',
  shortNames: [],
  namespaced: true,
  hasStatus: true,
  categories: ['all', 'kyma'],
  printerColumns: [pathColumn('READY', 'status.ready'), AGE_COLUMN],
  validate: (obj) => validateSubscription(obj),
  applyDefaults: (obj) => structuredClone(obj),
};
