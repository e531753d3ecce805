import type { FieldError } from './errors.js';
import { duplicate, forbidden, invalidValue, notSupported, required, typeInvalid } from './field-errors.js';
import { parseHttpUrl } from './formats.js';
import { validateMetadata } from './metadata-validation.js';
import { isRecord, type KubeObject } from './object.js';
import { AGE_COLUMN, pathColumn } from './printer.js';
import type { ResourceType } from './resource-type.js';

export const TYPE_MATCHINGS = ['standard', 'exact'] as const;
/** Legacy prefix eventing adds itself in standard mode; user types must not carry it (eventing-manager validator). */
const RESERVED_TYPE_PREFIX = 'sap.kyma.custom';
const CLUSTER_LOCAL = '.svc.cluster.local';

export function validateSubscription(obj: KubeObject): FieldError[] {
  const errs = validateMetadata(obj, { namespaced: true, nameFormat: 'subdomain' });
  const spec = obj.spec;
  if (!isRecord(spec)) return [...errs, required('spec')];
  const matching = spec.typeMatching ?? 'standard';
  if (!(TYPE_MATCHINGS as readonly unknown[]).includes(matching)) errs.push(notSupported('spec.typeMatching', matching, TYPE_MATCHINGS));
  const exact = matching === 'exact';
  if (spec.source !== undefined && typeof spec.source !== 'string') errs.push(typeInvalid('spec.source', spec.source, 'a string'));
  else if (!exact && !spec.source) errs.push(required('spec.source', 'source is required when typeMatching is standard'));
  errs.push(...validateTypes(spec.types, exact));
  errs.push(...validateConfig(spec.config));
  errs.push(...validateSink(spec.sink, obj.metadata?.namespace ?? ''));
  return errs;
}

function validateTypes(types: unknown, exact: boolean): FieldError[] {
  if (types === undefined || types === null || (Array.isArray(types) && types.length === 0)) return [required('spec.types', 'at least one event type is required')];
  if (!Array.isArray(types)) return [typeInvalid('spec.types', types, 'a list of strings')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  types.forEach((t: unknown, i) => {
    const f = `spec.types[${i}]`;
    if (typeof t !== 'string' || t === '') {
      errs.push(t === '' ? required(f) : typeInvalid(f, t, 'a string'));
      return;
    }
    if (seen.has(t)) errs.push(duplicate(f, t));
    seen.add(t);
    if (t.split('.').filter((s) => s !== '').length < 2) errs.push(invalidValue(f, t, 'must have at least 2 segments separated by "."'));
    if (!exact && t.startsWith(RESERVED_TYPE_PREFIX)) errs.push(forbidden(f, `types must not start with "${RESERVED_TYPE_PREFIX}" in standard typeMatching`));
  });
  return errs;
}

function validateConfig(config: unknown): FieldError[] {
  if (config === undefined || config === null) return [];
  if (!isRecord(config)) return [typeInvalid('spec.config', config, 'a map of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (typeof v !== 'string') errs.push(typeInvalid(`spec.config.${k}`, v, 'a string'));
  }
  const mif = config.maxInFlightMessages;
  if (typeof mif === 'string' && (!/^[0-9]+$/.test(mif) || Number(mif) < 1)) {
    errs.push(invalidValue('spec.config.maxInFlightMessages', mif, 'must be a stringified integer greater than or equal to 1'));
  }
  return errs;
}

function validateSink(sink: unknown, namespace: string): FieldError[] {
  if (sink === undefined || sink === null || sink === '') return [required('spec.sink')];
  if (typeof sink !== 'string') return [typeInvalid('spec.sink', sink, 'a string')];
  const url = parseHttpUrl(sink);
  if (!url) return [invalidValue('spec.sink', sink, "must be a valid URL with the scheme 'http' or 'https'")];
  const host = url.hostname;
  // <svc>.<ns>.svc.cluster.local: the sink must be in the Subscription's namespace. Whether the Service exists is
  // checked by the eventing controller, which can see other resources.
  if (host.endsWith(CLUSTER_LOCAL)) {
    const parts = host.slice(0, -CLUSTER_LOCAL.length).split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      return [invalidValue('spec.sink', sink, `must be of the form <service>.<namespace>${CLUSTER_LOCAL}`)];
    }
    if (parts[1] !== namespace) return [invalidValue('spec.sink', sink, `the namespace of the sink "${parts[1]}" must equal the Subscription's namespace "${namespace}"`)];
  }
  return [];
}

export function defaultSubscription(obj: KubeObject): KubeObject {
  const out = structuredClone(obj);
  if (!isRecord(out.spec)) return out;
  if (out.spec.typeMatching === undefined || out.spec.typeMatching === '') out.spec.typeMatching = 'standard';
  const config = isRecord(out.spec.config) ? out.spec.config : {};
  if (config.maxInFlightMessages === undefined) config.maxInFlightMessages = '10';
  out.spec.config = config;
  return out;
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
  applyDefaults: (obj) => defaultSubscription(obj),
};
