import type { FieldError } from './errors.js';
import { invalidValue, typeInvalid } from './field-errors.js';
import { isBase64, validateConfigKey } from './formats.js';
import { validateMetadata } from './metadata-validation.js';
import { isRecord, type KubeObject } from './object.js';
import { AGE_COLUMN, countColumn, pathColumn } from './printer.js';
import type { ResourceType } from './resource-type.js';

function validateStringMap(field: string, m: unknown, base64: boolean): FieldError[] {
  if (m === undefined || m === null) return [];
  if (!isRecord(m)) return [typeInvalid(field, m, 'an object of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(m)) {
    errs.push(...validateConfigKey(`${field}[${k}]`, k));
    if (typeof v !== 'string') errs.push(typeInvalid(`${field}[${k}]`, v, 'a string'));
    else if (base64 && !isBase64(v)) errs.push(invalidValue(`${field}[${k}]`, '<secret contents redacted>', 'must be base64-encoded'));
  }
  return errs;
}

function validateSecret(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
  errs.push(...validateStringMap('data', obj.data, true));
  errs.push(...validateStringMap('stringData', obj.stringData, false));
  if (obj.type !== undefined && (typeof obj.type !== 'string' || obj.type === '')) errs.push(typeInvalid('type', obj.type, 'a non-empty string'));
  return errs;
}

function validateConfigMap(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
  errs.push(...validateStringMap('data', obj.data, false));
  errs.push(...validateStringMap('binaryData', obj.binaryData, true));
  if (isRecord(obj.data) && isRecord(obj.binaryData)) {
    for (const k of Object.keys(obj.binaryData)) {
      if (k in obj.data) errs.push(invalidValue(`binaryData[${k}]`, k, 'duplicate of key present in data'));
    }
  }
  return errs;
}

export const SECRET: ResourceType = {
  group: '',
  versions: ['v1'],
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  categories: [],
  printerColumns: [pathColumn('TYPE', 'type'), countColumn('DATA', 'data'), AGE_COLUMN],
  validate: (obj) => validateSecret(obj),
  applyDefaults: (obj) => {
    const out = structuredClone(obj);
    if (out.type === undefined || out.type === '') out.type = 'Opaque';
    return out;
  },
};

export const CONFIGMAP: ResourceType = {
  group: '',
  versions: ['v1'],
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  hasStatus: false,
  categories: [],
  printerColumns: [countColumn('DATA', 'data', 'binaryData'), AGE_COLUMN],
  validate: (obj) => validateConfigMap(obj),
  applyDefaults: (obj) => structuredClone(obj),
};

export const NAMESPACE: ResourceType = {
  group: '',
  versions: ['v1'],
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  // Real Namespaces have a status subresource (phase); nothing here writes it, so spec-only semantics suffice.
  hasStatus: false,
  categories: [],
  printerColumns: [pathColumn('STATUS', 'status.phase'), AGE_COLUMN],
  validate: (obj) => validateMetadata(obj, { namespaced: false, nameFormat: 'label' }),
  applyDefaults: (obj) => structuredClone(obj),
};
