import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ApiError, badRequest, isRecord, type KubeObject, type Logger } from '../../model/index.js';
import { jsonPatch, type ListOptions, type PatchType, type Store } from '../../store/index.js';
import { methodNotAllowed, mediaType, parseBody, readBody, sendJson } from './http.js';
import { checkFields, objectForRoute, parseFieldValidation } from './objects.js';
import { dryRunCreate, dryRunPatch, dryRunUpdate, isDryRun } from './dry-run.js';
import type { ResourceRoute } from './routes.js';
import { parseIncludeObject, toTable, wantsTable } from './table.js';
import { serveWatch } from './watch.js';
import { parseForce, serverSideApply } from './server-side-apply.js';

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  route: ResourceRoute;
  store: Store;
  log: Logger;
  watches: Set<ServerResponse>;
}

/** Serves one request on a resource or collection path (verbs get, list, watch, create, update, patch, delete). */
export async function handleResource(r: ResourceRequest): Promise<void> {
  const { req, route, url } = r;
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  const isWatch = route.watchPrefix || q.get('watch') === 'true' || q.get('watch') === '1';
  if (isWatch && method !== 'GET') throw methodNotAllowed(method, url.pathname);
  if (route.name === undefined) {
    if (method === 'GET') return isWatch ? watch(r) : list(r);
    if (method === 'POST' && (route.namespace !== undefined || !route.type.namespaced)) return create(r);
    if (method === 'DELETE' && (route.namespace !== undefined || !route.type.namespaced)) return deleteCollection(r);
    throw methodNotAllowed(method, url.pathname);
  }
  switch (method) {
    case 'GET':
      return isWatch ? watch(r) : get(r);
    case 'PUT':
      return update(r);
    case 'PATCH':
      return patch(r);
    case 'DELETE':
      if (route.subresource) break;
      return remove(r);
  }
  throw methodNotAllowed(method, url.pathname);
}

function listOptions(r: ResourceRequest): ListOptions {
  const q = r.url.searchParams;
  return {
    ...(r.route.namespace !== undefined ? { namespace: r.route.namespace } : {}),
    ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
    ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector')! } : {}),
  };
}

function tableOptions(r: ResourceRequest): { includeObject: ReturnType<typeof parseIncludeObject> } | undefined {
  return wantsTable(r.req.headers.accept) ? { includeObject: parseIncludeObject(r.url.searchParams.get('includeObject')) } : undefined;
}

function watch(r: ResourceRequest): void {
  const table = tableOptions(r);
  serveWatch({ res: r.res, store: r.store, route: r.route, query: r.url.searchParams, log: r.log, active: r.watches, ...(table ? { table } : {}) });
}

function list(r: ResourceRequest): void {
  const { type, version } = r.route;
  const { items, resourceVersion } = r.store.list(type, listOptions(r));
  const table = tableOptions(r);
  if (table) return sendJson(r.res, 200, toTable(type, items, resourceVersion, table));
  const apiVersion = type.group ? `${type.group}/${version}` : version;
  sendJson(r.res, 200, { apiVersion, kind: type.listKind, metadata: { resourceVersion }, items });
}

function get(r: ResourceRequest): void {
  const { type, namespace, name } = r.route;
  const obj = r.store.get(type, namespace, name!);
  const table = tableOptions(r);
  if (table) return sendJson(r.res, 200, toTable(type, [obj], obj.metadata.resourceVersion ?? '', table));
  sendJson(r.res, 200, obj);
}

/** Reads the body and applies the fieldValidation directive; returns the body and any Warning headers. */
async function readChecked(r: ResourceRequest): Promise<{ body: unknown; headers: OutgoingHttpHeaders }> {
  const body = parseBody(await readBody(r.req), r.req.headers['content-type']);
  const warnings = checkFields(r.route.type, body, parseFieldValidation(r.url.searchParams.get('fieldValidation')));
  return { body, headers: warnings.length > 0 ? { Warning: warnings } : {} };
}

async function create(r: ResourceRequest): Promise<void> {
  if (r.route.subresource) throw methodNotAllowed('POST', r.url.pathname);
  const { body, headers } = await readChecked(r);
  const obj = objectForRoute(body, r.route);
  const created = isDryRun(r.url) ? dryRunCreate(r.store, r.route, obj) : await r.store.create(obj);
  sendJson(r.res, 201, created, headers);
}

async function update(r: ResourceRequest): Promise<void> {
  const { body, headers } = await readChecked(r);
  const obj = objectForRoute(body, r.route);
  let updated: KubeObject;
  if (isDryRun(r.url)) updated = dryRunUpdate(r.store, r.route, obj);
  else updated = r.route.subresource === 'status' ? await r.store.updateStatus(obj) : await r.store.update(obj);
  sendJson(r.res, 200, updated, headers);
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
};

async function patch(r: ResourceRequest): Promise<void> {
  const ct = mediaType(r.req.headers['content-type']);
  if (ct === 'application/apply-patch+yaml') return apply(r);
  if (ct === 'application/apply-patch+cbor') {
    r.req.resume();
    throw new ApiError(415, 'UnsupportedMediaType', 'CBOR is not supported; send the applied configuration as application/apply-patch+yaml (YAML or JSON)');
  }
  const patchType = PATCH_TYPES[ct];
  if (!patchType) {
    r.req.resume();
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format (${ct || 'no Content-Type'}) - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`);
  }
  const { body, headers } = await readChecked(r);
  if (patchType === 'json' ? !Array.isArray(body) : !isRecord(body)) {
    throw badRequest(patchType === 'json' ? 'a JSON patch must be an array of operations' : 'a merge patch must be a JSON object');
  }
  const { type, namespace, name } = r.route;
  let patched: KubeObject;
  if (isDryRun(r.url)) patched = dryRunPatch(r.store, r.route, body, patchType);
  else if (r.route.subresource === 'status') {
    if (patchType === 'json') patched = await r.store.updateStatus(jsonPatch(r.store.get(type, namespace, name!), body) as KubeObject);
    else {
      const status = (body as Record<string, unknown>).status;
      patched = await r.store.patchStatus(type, namespace, name!, isRecord(status) ? status : {});
    }
  } else patched = await r.store.patch(type, namespace, name!, body, patchType);
  sendJson(r.res, 200, patched, headers);
}

/** Server-side apply: 201 when it created the object, 200 otherwise. The body is YAML (JSON is YAML too). */
async function apply(r: ResourceRequest): Promise<void> {
  const text = (await readBody(r.req)).toString('utf8');
  const body = parseBody(Buffer.from(text), 'application/yaml');
  const warnings = checkFields(r.route.type, body, parseFieldValidation(r.url.searchParams.get('fieldValidation')));
  const q = r.url.searchParams;
  const { obj, created } = await serverSideApply({
    store: r.store,
    route: r.route,
    applied: objectForRoute(body, r.route),
    fieldManager: q.get('fieldManager'),
    force: parseForce(q.get('force')),
    dryRun: isDryRun(r.url),
  });
  sendJson(r.res, created ? 201 : 200, obj, warnings.length > 0 ? { Warning: warnings } : {});
}

async function remove(r: ResourceRequest): Promise<void> {
  await readBody(r.req); // DeleteOptions (propagationPolicy, grace period) have no meaning here.
  const { type, namespace, name } = r.route;
  const obj = isDryRun(r.url) ? r.store.get(type, namespace, name!) : await r.store.delete(type, namespace, name!);
  sendJson(r.res, 200, obj);
}

async function deleteCollection(r: ResourceRequest): Promise<void> {
  await readBody(r.req);
  const { type, version } = r.route;
  const { items, resourceVersion } = r.store.list(type, listOptions(r));
  if (!isDryRun(r.url)) {
    for (const o of items) await r.store.delete(type, o.metadata.namespace, o.metadata.name);
  }
  sendJson(r.res, 200, { apiVersion: type.group ? `${type.group}/${version}` : version, kind: type.listKind, metadata: { resourceVersion }, items });
}
