import { createHash } from 'node:crypto';
import type { ResourceType } from '../../model/index.js';

/**
 * OpenAPI v3 documents, just enough for kubectl: `kubectl apply` (default --validate=strict) checks that the
 * PATCH operation of the kind's path (found by `x-kubernetes-group-version-kind`) lists the `fieldValidation`
 * query parameter, then leaves validation to the server; strategic merge patches for Secret/ConfigMap read
 * the PUT request body schema. Schemas are permissive: the kinds' validators give the real 422 answers.
 */

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

/** `serverless.kyma-project.io` → `io.kyma-project.serverless`, as the apiserver names CRD schemas. */
export function schemaName(type: ResourceType, version: string): string {
  if (type.group === '') return `io.k8s.api.core.${version}.${type.kind}`;
  return `${type.group.split('.').reverse().join('.')}.${version}.${type.kind}`;
}

const ref = (name: string): Record<string, unknown> => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: unknown): unknown => ({ content: { 'application/json': { schema } } });
const q = (name: string, description: string): unknown => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const pathParam = (name: string): unknown => ({ name, in: 'path', required: true, description: `${name} of the resource`, schema: { type: 'string', uniqueItems: true } });

const WRITE_PARAMS = [
  q('dryRun', 'When present, indicates that modifications should not be persisted. Valid value: All'),
  q('fieldManager', 'Accepted and ignored: Kyma Local keeps no managed fields.'),
  q('fieldValidation', 'Ignore, Warn (default) or Strict: how unknown top-level and metadata fields are reported.'),
];
const LIST_PARAMS = ['labelSelector', 'fieldSelector', 'resourceVersion', 'timeoutSeconds', 'watch', 'allowWatchBookmarks', 'limit', 'continue'].map((n) =>
  q(n, `Standard Kubernetes list parameter ${n}.`),
);

function operation(type: ResourceType, version: string, action: string, extra: Record<string, unknown>): unknown {
  return {
    operationId: `${action}${type.kind}`,
    tags: [type.group ? `${type.group}_${version}` : `core_${version}`],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version, kind: type.kind },
    responses: { '200': jsonBody(ref(schemaName(type, version))), '401': { description: 'Unauthorized' } },
    ...extra,
  };
}

function paths(type: ResourceType, version: string): Record<string, unknown> {
  const prefix = type.group ? `/apis/${type.group}/${version}` : `/api/${version}`;
  const base = type.namespaced ? `${prefix}/namespaces/{namespace}/${type.plural}` : `${prefix}/${type.plural}`;
  const scope = type.namespaced ? [pathParam('namespace')] : [];
  const body = { requestBody: jsonBody(ref(schemaName(type, version))) };
  // kubectl apply computes a strategic merge patch from this document only when the PATCH operation lists
  // that media type. Like real CRDs, the Kyma kinds don't (kubectl then sends a JSON merge patch); the core
  // kinds do, and their PUT body schemas describe the maps kubectl needs to find (data, labels, ...).
  const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', ...(type.group === '' ? ['application/strategic-merge-patch+json'] : [])];
  const patchBody = { requestBody: { content: Object.fromEntries(patchTypes.map((m) => [m, { schema: { type: 'object' } }])) } };
  const item = {
    parameters: [pathParam('name'), ...scope],
    get: operation(type, version, 'get', {}),
    put: operation(type, version, 'put', { ...body, parameters: WRITE_PARAMS }),
    patch: operation(type, version, 'patch', { ...patchBody, parameters: WRITE_PARAMS }),
    delete: operation(type, version, 'delete', { parameters: [WRITE_PARAMS[0]] }),
  };
  const collection = {
    parameters: scope,
    get: operation(type, version, 'list', { parameters: LIST_PARAMS }),
    post: operation(type, version, 'post', { ...body, parameters: WRITE_PARAMS }),
    delete: operation(type, version, 'deletecollection', { parameters: [WRITE_PARAMS[0], ...LIST_PARAMS] }),
  };
  const out: Record<string, unknown> = { [base]: collection, [`${base}/{name}`]: item };
  if (type.hasStatus) {
    out[`${base}/{name}/status`] = {
      parameters: [pathParam('name'), ...scope],
      get: operation(type, version, 'get', {}),
      put: operation(type, version, 'put', { ...body, parameters: WRITE_PARAMS }),
      patch: operation(type, version, 'patch', { ...patchBody, parameters: WRITE_PARAMS }),
    };
  }
  return out;
}

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

function kindSchema(type: ResourceType, version: string): unknown {
  const common = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { allOf: [ref(OBJECT_META)], default: {} },
  };
  const own =
    type.kind === 'Secret'
      ? { data: { ...STRING_MAP, additionalProperties: { type: 'string', format: 'byte' } }, stringData: STRING_MAP, type: { type: 'string' }, immutable: { type: 'boolean' } }
      : type.kind === 'ConfigMap'
        ? { data: STRING_MAP, binaryData: { ...STRING_MAP, additionalProperties: { type: 'string', format: 'byte' } }, immutable: { type: 'boolean' } }
        : { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
  return {
    type: 'object',
    description: `${type.kind} (${type.group || 'core'}/${version}). Validated by Kyma Local's ${type.kind} validator.`,
    properties: { ...common, ...own },
    'x-kubernetes-group-version-kind': [{ group: type.group, version, kind: type.kind }],
  };
}

const META_SCHEMAS = {
  [OBJECT_META]: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      generateName: { type: 'string' },
      namespace: { type: 'string' },
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: { type: 'string', format: 'date-time' },
      deletionTimestamp: { type: 'string', format: 'date-time' },
      labels: STRING_MAP,
      annotations: STRING_MAP,
      finalizers: { type: 'array', items: { type: 'string' } },
      ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    },
  },
  [STATUS]: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};

export function openApiV3Document(types: ResourceType[], group: string, version: string): unknown | undefined {
  const served = types.filter((t) => t.group === group && t.versions.includes(version));
  if (served.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-kyma-local' },
    paths: Object.assign({}, ...served.map((t) => paths(t, version))) as Record<string, unknown>,
    components: { schemas: { ...META_SCHEMAS, ...Object.fromEntries(served.map((t) => [schemaName(t, version), kindSchema(t, version)])) } },
  };
}

/** `/openapi/v3`: one entry per group-version; the hash lets clients cache documents. */
export function openApiV3Root(types: ResourceType[]): { paths: Record<string, { serverRelativeURL: string }> } {
  const gvs = new Map<string, { group: string; version: string }>();
  for (const t of types) for (const v of t.versions) gvs.set(t.group ? `apis/${t.group}/${v}` : `api/${v}`, { group: t.group, version: v });
  const out: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, { group, version }] of gvs) {
    const hash = createHash('sha512').update(JSON.stringify(openApiV3Document(types, group, version))).digest('hex').slice(0, 128).toUpperCase();
    out[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths: out };
}
