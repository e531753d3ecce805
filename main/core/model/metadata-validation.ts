import type { FieldError } from './errors.js';
import { required, typeInvalid } from './field-errors.js';
import { validateDns1123Label, validateDns1123Subdomain, validateLabelValue, validateQualifiedName } from './formats.js';
import { isRecord, type KubeObject } from './object.js';

export interface MetadataRules {
  namespaced: boolean;
  /** 'label' (≤ 63, no dots) for names that become Services or Namespaces; 'subdomain' otherwise. */
  nameFormat: 'label' | 'subdomain';
}

/** Validates metadata the way every Kubernetes kind does: name, namespace, label and annotation keys. */
export function validateMetadata(obj: KubeObject, rules: MetadataRules): FieldError[] {
  const errs: FieldError[] = [];
  const md: unknown = obj.metadata;
  if (!isRecord(md)) return [required('metadata')];
  const name = md.name;
  if (typeof name !== 'string' || name === '') errs.push(required('metadata.name', 'name or generateName is required'));
  else errs.push(...(rules.nameFormat === 'label' ? validateDns1123Label('metadata.name', name) : validateDns1123Subdomain('metadata.name', name)));
  if (rules.namespaced) {
    const ns = md.namespace;
    if (typeof ns !== 'string' || ns === '') errs.push(required('metadata.namespace'));
    else errs.push(...validateDns1123Label('metadata.namespace', ns));
  }
  errs.push(...validateLabels('metadata.labels', md.labels));
  errs.push(...validateAnnotations('metadata.annotations', md.annotations));
  if (md.finalizers !== undefined && md.finalizers !== null) {
    if (!Array.isArray(md.finalizers)) errs.push(typeInvalid('metadata.finalizers', md.finalizers, 'a list of strings'));
    else md.finalizers.forEach((f: unknown, i) => errs.push(...(typeof f === 'string' ? validateQualifiedName(`metadata.finalizers[${i}]`, f) : [typeInvalid(`metadata.finalizers[${i}]`, f, 'a string')])));
  }
  return errs;
}

export function validateLabels(field: string, labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isRecord(labels)) return [typeInvalid(field, labels, 'an object of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateQualifiedName(field, k));
    if (typeof v !== 'string') errs.push(typeInvalid(`${field}.${k}`, v, 'a string'));
    else errs.push(...validateLabelValue(field, v));
  }
  return errs;
}

export function validateAnnotations(field: string, annotations: unknown): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isRecord(annotations)) return [typeInvalid(field, annotations, 'an object of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...validateQualifiedName(field, k));
    if (typeof v !== 'string') errs.push(typeInvalid(`${field}.${k}`, v, 'a string'));
  }
  return errs;
}
