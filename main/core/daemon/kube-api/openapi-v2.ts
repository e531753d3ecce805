import { isRecord, type ResourceType } from '../../model/index.js';
import { groupVersions } from './discovery.js';
import { openApiV3Document } from './openapi-v3.js';

/**
 * `/openapi/v2` as Swagger 2.0 JSON, derived from the v3 documents. kubectl itself asks for v2 only as
 * protobuf (and copes with a refusal: it then uses JSON merge patches and v3-driven validation), so this
 * serves JSON clients; a protobuf-only Accept gets 406.
 */
export function openApiV2Document(types: ResourceType[]): unknown {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  const groups = [...new Set(types.map((t) => t.group))];
  for (const group of groups) {
    for (const version of groupVersions(types, group)) {
      const doc = openApiV3Document(types, group, version) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
      for (const [p, item] of Object.entries(doc.paths)) paths[p] = pathItemV2(item);
      Object.assign(definitions, doc.components.schemas);
    }
  }
  const doc = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0-kyma-local' }, paths, definitions };
  return JSON.parse(JSON.stringify(doc).replaceAll('#/components/schemas/', '#/definitions/')) as unknown;
}

function paramV2(p: unknown): unknown {
  if (!isRecord(p)) return p;
  const { schema, ...rest } = p;
  return { ...rest, ...(isRecord(schema) ? { type: schema.type, uniqueItems: schema.uniqueItems } : {}) };
}

function pathItemV2(item: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'parameters' && Array.isArray(value)) out.parameters = value.map(paramV2);
    else if (isRecord(value)) out[key] = operationV2(value);
  }
  return out;
}

function operationV2(op: Record<string, unknown>): unknown {
  const { requestBody, responses, parameters, ...rest } = op;
  const params = Array.isArray(parameters) ? parameters.map(paramV2) : [];
  const content = isRecord(requestBody) && isRecord(requestBody.content) ? requestBody.content : undefined;
  const bodySchema = content ? Object.values(content).find(isRecord)?.schema : undefined;
  if (bodySchema !== undefined) params.push({ name: 'body', in: 'body', required: true, schema: bodySchema });
  const responsesV2: Record<string, unknown> = {};
  for (const [code, r] of Object.entries(isRecord(responses) ? responses : {})) {
    const schema = isRecord(r) && isRecord(r.content) ? (r.content['application/json'] as { schema?: unknown } | undefined)?.schema : undefined;
    responsesV2[code] = { description: code === '200' ? 'OK' : isRecord(r) ? String(r.description ?? code) : code, ...(schema ? { schema } : {}) };
  }
  return {
    ...rest,
    ...(content ? { consumes: Object.keys(content) } : {}),
    produces: ['application/json'],
    parameters: params,
    responses: responsesV2,
  };
}
