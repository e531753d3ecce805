import { ApiError, apiVersionOf, badRequest, isRecord, type KubeObject, type ResourceType } from '../../model/index.js';
import type { ResourceRoute } from './routes.js';

/**
 * Checks a request body against the URL it was sent to, the way the apiserver does before validation:
 * type meta must name the URL's kind and version, the namespace must agree, a PUT must not rename.
 * Returns the object with the URL's namespace filled in (cluster-scoped kinds get none).
 */
export function objectForRoute(body: unknown, route: ResourceRoute): KubeObject {
  if (!isRecord(body)) throw badRequest(`the request body must be a JSON object of kind ${route.type.kind}`);
  const expectedApiVersion = apiVersionOf(route.type, route.version);
  const apiVersion = body.apiVersion ?? expectedApiVersion;
  const kind = body.kind ?? route.type.kind;
  if (apiVersion !== expectedApiVersion) {
    throw badRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (kind !== route.type.kind) {
    throw badRequest(`the kind in the data (${String(kind)}) does not match the expected kind (${route.type.kind}) for ${route.type.plural}`);
  }
  const metadata = body.metadata ?? {};
  if (!isRecord(metadata)) throw badRequest('metadata must be an object');
  const meta: Record<string, unknown> = { ...metadata };
  if (route.type.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && route.namespace !== undefined && meta.namespace !== route.namespace) {
      // The apiserver's exact wording, which kubectl users may search for.
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = route.namespace ?? meta.namespace;
  } else {
    delete meta.namespace;
  }
  if (route.name !== undefined) {
    if (meta.name !== undefined && meta.name !== route.name) {
      throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${route.name})`);
    }
    meta.name = route.name;
  }
  return { ...body, apiVersion: expectedApiVersion, kind: route.type.kind, metadata: meta as unknown as KubeObject['metadata'] };
}

const META_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

/** Top-level fields of the core kinds that have no spec. Other kinds are spec/status shaped. */
const CORE_FIELDS: Record<string, string[]> = {
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ConfigMap: ['data', 'binaryData', 'immutable'],
};

/**
 * Fields the schema does not declare, as `fieldValidation=Strict|Warn` reports them. Only the top level and
 * metadata are checked: spec contents are the kind validator's business (it answers 422 with the field).
 */
export function unknownFields(type: ResourceType, body: Record<string, unknown>): string[] {
  const known = new Set(['apiVersion', 'kind', 'metadata', ...(CORE_FIELDS[type.kind] ?? ['spec', 'status'])]);
  const out = Object.keys(body).filter((k) => !known.has(k));
  if (isRecord(body.metadata)) out.push(...Object.keys(body.metadata).filter((k) => !META_FIELDS.has(k)).map((k) => `metadata.${k}`));
  return out;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of Strict, Warn or Ignore, not "${v}"`);
}

/** Applies the fieldValidation directive: Strict throws 400, Warn returns Warning header values. */
export function checkFields(type: ResourceType, body: unknown, mode: FieldValidation): string[] {
  if (mode === 'Ignore' || !isRecord(body)) return [];
  const unknown = unknownFields(type, body);
  if (unknown.length === 0) return [];
  if (mode === 'Strict') {
    throw new ApiError(400, 'BadRequest', `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  return unknown.map((f) => `299 - "unknown field \\"${f}\\""`);
}
