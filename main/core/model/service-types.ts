import type { FieldError } from './errors.js';
import { forbidden, invalidValue, required, typeInvalid } from './field-errors.js';
import { parseHttpUrl, validateConfigKey, validateDns1123Label, validateDns1123Subdomain } from './formats.js';
import { validateMetadata } from './metadata-validation.js';
import { isRecord, type KubeObject } from './object.js';
import { AGE_COLUMN, getPath, pathColumn } from './printer.js';
import type { PrinterColumn, ResourceType } from './resource-type.js';

// ServiceInstance / ServiceBinding as the SAP BTP service operator serves them (services.cloud.sap.com/v1,
// KYMA-SPEC.md §8), and the ServiceBroker kind of Kyma Local's own group that registers OSB brokers.
export const SERVICES_GROUP = 'services.cloud.sap.com';
export const BROKERS_GROUP = 'services.kyma-local.dev';
/** The finalizer the operator puts on instances and bindings (upstream `api.FinalizerName`). */
export const SERVICES_FINALIZER = 'services.cloud.sap.com/sap-btp-finalizer';

function optionalString(errs: FieldError[], field: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    errs.push(typeInvalid(field, v, 'a string'));
    return undefined;
  }
  return v;
}

function requiredString(errs: FieldError[], field: string, v: unknown): void {
  if (v === undefined || v === null || v === '') errs.push(required(field));
  else if (typeof v !== 'string') errs.push(typeInvalid(field, v, 'a string'));
}

/** `parameters` is free JSON upstream (a RawExtension); brokers want an object, so a scalar is refused here. */
function validateParameters(errs: FieldError[], field: string, v: unknown): void {
  if (v !== undefined && v !== null && !isRecord(v)) errs.push(typeInvalid(field, v, 'an object'));
}

function validateParametersFrom(errs: FieldError[], field: string, v: unknown): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) {
    errs.push(typeInvalid(field, v, 'a list of {secretKeyRef: {name, key}}'));
    return;
  }
  v.forEach((item: unknown, i) => {
    const f = `${field}[${i}].secretKeyRef`;
    const ref = isRecord(item) ? item.secretKeyRef : undefined;
    if (!isRecord(ref)) {
      errs.push(required(f, 'each parametersFrom entry needs secretKeyRef {name, key}'));
      return;
    }
    if (typeof ref.name !== 'string' || ref.name === '') errs.push(required(`${f}.name`));
    else errs.push(...validateDns1123Subdomain(`${f}.name`, ref.name));
    if (typeof ref.key !== 'string' || ref.key === '') errs.push(required(`${f}.key`));
    else errs.push(...validateConfigKey(`${f}.key`, ref.key));
  });
}

export function validateServiceInstance(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
  const spec = obj.spec;
  if (!isRecord(spec)) return [...errs, required('spec')];
  requiredString(errs, 'spec.serviceOfferingName', spec.serviceOfferingName);
  requiredString(errs, 'spec.servicePlanName', spec.servicePlanName);
  const ext = optionalString(errs, 'spec.externalName', spec.externalName);
  if (ext !== undefined && ext.length > 100) errs.push(invalidValue('spec.externalName', ext, 'must be no more than 100 characters'));
  validateParameters(errs, 'spec.parameters', spec.parameters);
  validateParametersFrom(errs, 'spec.parametersFrom', spec.parametersFrom);
  if (spec.customTags !== undefined && spec.customTags !== null) {
    if (!Array.isArray(spec.customTags)) errs.push(typeInvalid('spec.customTags', spec.customTags, 'a list of strings'));
    else spec.customTags.forEach((t: unknown, i) => typeof t !== 'string' && errs.push(typeInvalid(`spec.customTags[${i}]`, t, 'a string')));
  }
  return errs;
}

export function validateServiceBinding(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
  const spec = obj.spec;
  if (!isRecord(spec)) return [...errs, required('spec')];
  requiredString(errs, 'spec.serviceInstanceName', spec.serviceInstanceName);
  const ns = optionalString(errs, 'spec.serviceInstanceNamespace', spec.serviceInstanceNamespace);
  if (ns && ns !== obj.metadata?.namespace) {
    errs.push(forbidden('spec.serviceInstanceNamespace', 'locally an instance can only be bound from its own namespace; leave it out or set it to the binding\'s namespace'));
  } else if (ns) errs.push(...validateDns1123Label('spec.serviceInstanceNamespace', ns));
  const secretName = optionalString(errs, 'spec.secretName', spec.secretName);
  if (secretName) errs.push(...validateDns1123Subdomain('spec.secretName', secretName));
  const ext = optionalString(errs, 'spec.externalName', spec.externalName);
  if (ext !== undefined && ext.length > 100) errs.push(invalidValue('spec.externalName', ext, 'must be no more than 100 characters'));
  for (const k of ['secretKey', 'secretRootKey'] as const) {
    const v = optionalString(errs, `spec.${k}`, spec[k]);
    if (v !== undefined) errs.push(...(v === '' ? [invalidValue(`spec.${k}`, v, 'must not be empty when set')] : validateConfigKey(`spec.${k}`, v)));
  }
  optionalString(errs, 'spec.secretTemplate', spec.secretTemplate);
  validateParameters(errs, 'spec.parameters', spec.parameters);
  validateParametersFrom(errs, 'spec.parametersFrom', spec.parametersFrom);
  return errs;
}

export function validateServiceBroker(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: false, nameFormat: 'label' });
  const spec = obj.spec;
  if (!isRecord(spec)) return [...errs, required('spec')];
  if (typeof spec.url !== 'string' || spec.url === '') errs.push(required('spec.url', 'the broker\'s base URL, e.g. http://127.0.0.1:9000 (the OSB paths /v2/... are appended)'));
  else if (!parseHttpUrl(spec.url)) errs.push(invalidValue('spec.url', spec.url, "must be a valid URL with the scheme 'http' or 'https'"));
  const ref = spec.credentialsSecretRef;
  if (ref !== undefined && ref !== null) {
    if (!isRecord(ref)) errs.push(typeInvalid('spec.credentialsSecretRef', ref, 'an object {name, namespace}'));
    else {
      if (typeof ref.name !== 'string' || ref.name === '') errs.push(required('spec.credentialsSecretRef.name'));
      if (typeof ref.namespace !== 'string' || ref.namespace === '') errs.push(required('spec.credentialsSecretRef.namespace', 'ServiceBroker is cluster-scoped, so the Secret\'s namespace must be given'));
    }
  }
  optionalString(errs, 'spec.description', spec.description);
  return errs;
}

function withSpec(obj: KubeObject, fill: (spec: Record<string, unknown>) => void): KubeObject {
  const out = structuredClone(obj);
  if (isRecord(out.spec)) fill(out.spec);
  return out;
}

/** status.conditions[0].reason, as upstream's printer column `Status` shows it. */
const REASON_COLUMN: PrinterColumn = {
  name: 'STATUS',
  type: 'string',
  value: (o) => {
    const c: unknown = (getPath(o, 'status.conditions') as unknown[] | undefined)?.[0];
    return isRecord(c) && typeof c.reason === 'string' ? c.reason : undefined;
  },
};
const MESSAGE_COLUMN: PrinterColumn = {
  name: 'MESSAGE',
  type: 'string',
  wide: true,
  value: (o) => {
    const c: unknown = (getPath(o, 'status.conditions') as unknown[] | undefined)?.[0];
    return isRecord(c) && typeof c.message === 'string' ? c.message : undefined;
  },
};

export const SERVICE_INSTANCE: ResourceType = {
  group: SERVICES_GROUP,
  versions: ['v1'],
  kind: 'ServiceInstance',
  listKind: 'ServiceInstanceList',
  plural: 'serviceinstances',
  singular: 'serviceinstance',
  shortNames: ['si'],
  namespaced: true,
  hasStatus: true,
  categories: ['all'],
  printerColumns: [
    pathColumn('OFFERING', 'spec.serviceOfferingName'),
    pathColumn('PLAN', 'spec.servicePlanName'),
    REASON_COLUMN,
    pathColumn('READY', 'status.ready'),
    AGE_COLUMN,
    pathColumn('ID', 'status.instanceID', 'string', true),
    MESSAGE_COLUMN,
  ],
  validate: (obj) => validateServiceInstance(obj),
  applyDefaults: (obj) => withSpec(obj, (s) => {
    if (s.externalName === undefined || s.externalName === '') s.externalName = obj.metadata?.name;
  }),
};

export const SERVICE_BINDING: ResourceType = {
  group: SERVICES_GROUP,
  versions: ['v1'],
  kind: 'ServiceBinding',
  listKind: 'ServiceBindingList',
  plural: 'servicebindings',
  singular: 'servicebinding',
  shortNames: ['sb'],
  namespaced: true,
  hasStatus: true,
  categories: ['all'],
  printerColumns: [
    pathColumn('INSTANCE', 'spec.serviceInstanceName'),
    REASON_COLUMN,
    pathColumn('READY', 'status.ready'),
    AGE_COLUMN,
    pathColumn('SECRET', 'spec.secretName', 'string', true),
    pathColumn('ID', 'status.bindingID', 'string', true),
    MESSAGE_COLUMN,
  ],
  validate: (obj) => validateServiceBinding(obj),
  applyDefaults: (obj) => withSpec(obj, (s) => {
    if (s.secretName === undefined || s.secretName === '') s.secretName = obj.metadata?.name;
    if (s.externalName === undefined || s.externalName === '') s.externalName = obj.metadata?.name;
  }),
};

export const SERVICE_BROKER: ResourceType = {
  group: BROKERS_GROUP,
  versions: ['v1alpha1'],
  kind: 'ServiceBroker',
  listKind: 'ServiceBrokerList',
  plural: 'servicebrokers',
  singular: 'servicebroker',
  shortNames: [],
  namespaced: false,
  hasStatus: true,
  categories: [],
  printerColumns: [pathColumn('URL', 'spec.url'), REASON_COLUMN, pathColumn('READY', 'status.ready'), pathColumn('OFFERINGS', 'status.offerings', 'integer'), AGE_COLUMN, MESSAGE_COLUMN],
  validate: (obj) => validateServiceBroker(obj),
  applyDefaults: (obj) => structuredClone(obj),
};
