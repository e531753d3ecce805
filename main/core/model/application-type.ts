import type { FieldError } from './errors.js';
import { duplicate, invalidValue, notSupported, required, typeInvalid } from './field-errors.js';
import { parseHttpUrl } from './formats.js';
import { validateMetadata } from './metadata-validation.js';
import { isRecord, type KubeObject } from './object.js';
import { AGE_COLUMN, pathColumn } from './printer.js';
import type { ResourceType } from './resource-type.js';
import { normalizeServiceName } from './application-names.js';

export const APPLICATION_ENTRY_TYPES = ['API', 'Events'] as const;
export const APPLICATION_CREDENTIAL_TYPES = ['Basic', 'OAuth', 'OAuthWithCert', 'CertificateGen'] as const;

export type ApplicationEntryType = (typeof APPLICATION_ENTRY_TYPES)[number];
export type ApplicationCredentialType = (typeof APPLICATION_CREDENTIAL_TYPES)[number];

/** `spec.services[].entries[].credentials` (application-connector-manager v1alpha1 types.go). */
export interface ApplicationCredentials {
  type: ApplicationCredentialType;
  secretName: string;
  authenticationUrl?: string;
  csrfInfo?: { tokenEndpointURL: string };
}

export interface ApplicationEntry {
  type: ApplicationEntryType;
  name?: string;
  targetUrl?: string;
  specificationUrl?: string;
  centralGatewayUrl?: string;
  requestParametersSecretName?: string;
  credentials?: ApplicationCredentials;
}

export interface ApplicationService {
  id: string;
  name: string;
  displayName?: string;
  description?: string;
  entries: ApplicationEntry[];
}

export interface ApplicationSpec {
  description?: string;
  displayName?: string;
  labels?: Record<string, string>;
  skipVerify?: boolean;
  encodeUrl?: boolean;
  services: ApplicationService[];
}

/** The typed spec of an Application that passed validation (the store holds only valid ones). */
export function applicationSpec(obj: KubeObject): ApplicationSpec {
  const spec = (obj.spec ?? {}) as Partial<ApplicationSpec>;
  return { ...spec, services: (spec.services ?? []).map((s) => ({ ...s, entries: s.entries ?? [] })) };
}

/** The `<service>` path segment of a service: its normalized display name (the name when it has none). */
export function gatewayServiceName(s: Pick<ApplicationService, 'displayName' | 'name'>): string {
  return normalizeServiceName(s.displayName || s.name);
}

const url = (f: string, v: unknown, errs: FieldError[]): void => {
  if (v === undefined || v === null || v === '') return;
  if (typeof v !== 'string') errs.push(typeInvalid(f, v, 'a string'));
  else if (!parseHttpUrl(v)) errs.push(invalidValue(f, v, 'must be an http(s) URL, e.g. https://api.example.com/v1'));
};

const optString = (f: string, v: unknown, errs: FieldError[]): void => {
  if (v !== undefined && v !== null && typeof v !== 'string') errs.push(typeInvalid(f, v, 'a string'));
};

const optBool = (f: string, v: unknown, errs: FieldError[]): void => {
  if (v !== undefined && v !== null && typeof v !== 'boolean') errs.push(typeInvalid(f, v, 'a boolean'));
};

export function validateApplication(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: false, nameFormat: 'subdomain' });
  const spec = obj.spec;
  if (spec === undefined) return errs;
  if (!isRecord(spec)) return [...errs, typeInvalid('spec', spec, 'an object')];
  optBool('spec.skipVerify', spec.skipVerify, errs);
  optBool('spec.encodeUrl', spec.encodeUrl, errs);
  optString('spec.description', spec.description, errs);
  optString('spec.displayName', spec.displayName, errs);
  if (spec.labels !== undefined && spec.labels !== null && (!isRecord(spec.labels) || Object.values(spec.labels).some((v) => typeof v !== 'string'))) {
    errs.push(typeInvalid('spec.labels', spec.labels, 'an object of strings'));
  }
  const services = spec.services;
  if (services === undefined || services === null) return errs;
  if (!Array.isArray(services)) return [...errs, typeInvalid('spec.services', services, 'a list')];
  const ids = new Set<string>();
  const paths = new Map<string, string>();
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
    optString(`${f}.displayName`, s.displayName, errs);
    optString(`${f}.description`, s.description, errs);
    const shown = typeof s.displayName === 'string' && s.displayName ? s.displayName : typeof s.name === 'string' ? s.name : '';
    if (shown && !normalizeServiceName(shown)) errs.push(invalidValue(`${f}.displayName`, shown, 'must contain a letter or digit: the gateway URL uses it, normalized'));
    if (s.entries !== undefined && s.entries !== null) {
      if (!Array.isArray(s.entries)) errs.push(typeInvalid(`${f}.entries`, s.entries, 'a list'));
      else s.entries.forEach((e: unknown, j) => errs.push(...validateEntry(`${f}.entries[${j}]`, e)));
      // Two API services whose display names normalize alike share one gateway path; upstream answers 400 then.
      const hasApi = Array.isArray(s.entries) && s.entries.some((e: unknown) => isRecord(e) && e.type === 'API');
      const seg = shown ? normalizeServiceName(shown) : '';
      if (hasApi && seg) {
        const other = paths.get(seg);
        if (other) errs.push(invalidValue(`${f}.displayName`, shown, `normalizes to "${seg}" like ${other}; the gateway could not tell them apart — rename one`));
        else paths.set(seg, `${f}.displayName`);
      }
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
    else url(`${f}.targetUrl`, e.targetUrl, errs);
  } else url(`${f}.targetUrl`, e.targetUrl, errs);
  url(`${f}.specificationUrl`, e.specificationUrl, errs);
  url(`${f}.centralGatewayUrl`, e.centralGatewayUrl, errs);
  optString(`${f}.name`, e.name, errs);
  optString(`${f}.requestParametersSecretName`, e.requestParametersSecretName, errs);
  const cred = e.credentials;
  if (cred !== undefined && cred !== null) {
    if (!isRecord(cred)) errs.push(typeInvalid(`${f}.credentials`, cred, 'an object'));
    else {
      const cf = `${f}.credentials`;
      if (!(APPLICATION_CREDENTIAL_TYPES as readonly unknown[]).includes(cred.type)) {
        errs.push(cred.type === undefined ? required(`${cf}.type`) : notSupported(`${cf}.type`, cred.type, APPLICATION_CREDENTIAL_TYPES));
      }
      if (typeof cred.secretName !== 'string' || cred.secretName === '') errs.push(required(`${cf}.secretName`));
      if (cred.type === 'OAuth' || cred.type === 'OAuthWithCert') {
        if (typeof cred.authenticationUrl !== 'string' || cred.authenticationUrl === '') errs.push(required(`${cf}.authenticationUrl`, 'the OAuth token endpoint'));
        else url(`${cf}.authenticationUrl`, cred.authenticationUrl, errs);
      } else url(`${cf}.authenticationUrl`, cred.authenticationUrl, errs);
      if (cred.csrfInfo !== undefined && cred.csrfInfo !== null) {
        if (!isRecord(cred.csrfInfo)) errs.push(typeInvalid(`${cf}.csrfInfo`, cred.csrfInfo, 'an object'));
        else if (typeof cred.csrfInfo.tokenEndpointURL !== 'string' || cred.csrfInfo.tokenEndpointURL === '') errs.push(required(`${cf}.csrfInfo.tokenEndpointURL`));
        else url(`${cf}.csrfInfo.tokenEndpointURL`, cred.csrfInfo.tokenEndpointURL, errs);
      }
    }
  }
  return errs;
}

function serviceCount(o: KubeObject): number {
  const s = isRecord(o.spec) ? o.spec.services : undefined;
  return Array.isArray(s) ? s.length : 0;
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
  printerColumns: [
    pathColumn('STATE', 'status.state'),
    { name: 'SERVICES', type: 'integer', value: serviceCount },
    pathColumn('GATEWAY', 'status.gatewayUrl', 'string', true),
    pathColumn('INBOUND', 'status.inbound.url', 'string', true),
    pathColumn('MESSAGE', 'status.description', 'string', true),
    AGE_COLUMN,
  ],
  validate: (obj) => validateApplication(obj),
  applyDefaults: (obj) => structuredClone(obj),
};
