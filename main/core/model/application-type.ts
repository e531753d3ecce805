import type { FieldError } from './errors.js';
import { duplicate, invalidValue, notSupported, required, typeInvalid } from './field-errors.js';
import { parseHttpUrl } from './formats.js';
import { validateMetadata } from './metadata-validation.js';
import { isRecord, type KubeObject } from './object.js';
import { AGE_COLUMN } from './printer.js';
import type { ResourceType } from './resource-type.js';

export const APPLICATION_ENTRY_TYPES = ['API', 'Events'] as const;
export const APPLICATION_CREDENTIAL_TYPES = ['Basic', 'OAuth', 'OAuthWithCert', 'CertificateGen'] as const;

export function validateApplication(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: false, nameFormat: 'subdomain' });
  const spec = obj.spec;
  if (spec === undefined) return errs;
  if (!isRecord(spec)) return [...errs, typeInvalid('spec', spec, 'an object')];
  const services = spec.services;
  if (services === undefined || services === null) return errs;
  if (!Array.isArray(services)) return [...errs, typeInvalid('spec.services', services, 'a list')];
  const ids = new Set<string>();
  services.forEach((s: unknown, i) => {
    const f = `spec.services[${i}]`;
    if (!isRecord(s)) {
      errs.push(typeInvalid(f, s, 'an object'));
      return;
    }
    if (typeof s.id !== 'string' || s.id === '') errs.push(required(`${f}.id`));
    else if (ids.has(s.id)) errs.push(duplicate(`${f}.id`, s.id));
    else ids.add(s.id);
    if (typeof s.name !== 'string' || s.name === '') errs.push(required(`${f}.name`));
    if (s.entries !== undefined) {
      if (!Array.isArray(s.entries)) errs.push(typeInvalid(`${f}.entries`, s.entries, 'a list'));
      else s.entries.forEach((e: unknown, j) => errs.push(...validateEntry(`${f}.entries[${j}]`, e)));
    }
  });
  return errs;
}

function validateEntry(f: string, e: unknown): FieldError[] {
  if (!isRecord(e)) return [typeInvalid(f, e, 'an object')];
  const errs: FieldError[] = [];
  if (!(APPLICATION_ENTRY_TYPES as readonly unknown[]).includes(e.type)) errs.push(e.type === undefined ? required(`${f}.type`) : notSupported(`${f}.type`, e.type, APPLICATION_ENTRY_TYPES));
  if (e.type === 'API') {
    if (typeof e.targetUrl !== 'string' || e.targetUrl === '') errs.push(required(`${f}.targetUrl`));
    else if (!parseHttpUrl(e.targetUrl)) errs.push(invalidValue(`${f}.targetUrl`, e.targetUrl, 'must be an http(s) URL'));
  }
  for (const k of ['specificationUrl', 'centralGatewayUrl'] as const) {
    const v = e[k];
    if (typeof v === 'string' && v !== '' && !parseHttpUrl(v)) errs.push(invalidValue(`${f}.${k}`, v, 'must be an http(s) URL'));
  }
  const cred = e.credentials;
  if (cred !== undefined && cred !== null) {
    if (!isRecord(cred)) errs.push(typeInvalid(`${f}.credentials`, cred, 'an object'));
    else {
      if (!(APPLICATION_CREDENTIAL_TYPES as readonly unknown[]).includes(cred.type)) {
        errs.push(cred.type === undefined ? required(`${f}.credentials.type`) : notSupported(`${f}.credentials.type`, cred.type, APPLICATION_CREDENTIAL_TYPES));
      }
      if (typeof cred.secretName !== 'string' || cred.secretName === '') errs.push(required(`${f}.credentials.secretName`));
      if ((cred.type === 'OAuth' || cred.type === 'OAuthWithCert') && typeof cred.authenticationUrl === 'string' && !parseHttpUrl(cred.authenticationUrl)) {
        errs.push(invalidValue(`${f}.credentials.authenticationUrl`, cred.authenticationUrl, 'must be an http(s) URL'));
      }
    }
  }
  return errs;
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
