import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, isRecord } from '../model/index.js';
import type { ServerlessApi } from '../embedded/index.js';
import type { ModuleHandles } from './modules.js';
import type { Router } from './router.js';
import { readJson, sendError, sendJson } from './http-util.js';
import { INVOKE_DURATION_HEADER, INVOKE_FORWARD_PREFIX } from './api-types.js';

function serverless(handles: ModuleHandles): ServerlessApi {
  const m = handles.serverless;
  if (!m || m.status().state !== 'Ready') throw new ApiError(503, 'ServiceUnavailable', 'serverless is not running — run `kyma-local up` with a profile that includes it');
  return m.api;
}

/** Headers about this one connection; the proxy sets its own. */
const CONNECTION_LEVEL = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length']);
/** ...plus the daemon's own credentials and checks, which the function must never see. */
const HOP_BY_HOP = new Set([...CONNECTION_LEVEL, 'host', 'authorization', 'cookie', 'origin']);

/**
 * Proxies an invocation to the function through the mesh (the same path in-cluster callers take), so the CLI
 * and dashboard see exactly what another function would. The daemon's own credentials are not forwarded.
 */
function invoke(api: ServerlessApi, ns: string, name: string, path: string, req: IncomingMessage, res: ServerResponse): void {
  const target = api.functionUrl(ns, name);
  const headers: Record<string, string | string[]> = { host: target.host };
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  // Headers the caller meant for the function itself (Origin for a CORS check, its own Authorization, …).
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || !k.startsWith(INVOKE_FORWARD_PREFIX)) continue;
    delete headers[k];
    const name = k.slice(INVOKE_FORWARD_PREFIX.length);
    if (name && name !== 'host' && !CONNECTION_LEVEL.has(name)) headers[name] = v;
  }
  const started = performance.now();
  const upstream = httpRequest(`${target.url}${path}`, { method: req.method ?? 'GET', headers }, (up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
    out[INVOKE_DURATION_HEADER] = (performance.now() - started).toFixed(1);
    res.writeHead(up.statusCode ?? 502, out);
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) sendJson(res, 502, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `invoking ${ns}/${name} failed: ${err.message}`, reason: 'ServiceUnavailable', code: 502 });
    else res.destroy(err);
  });
  req.pipe(upstream);
}

/** Function details, revisions, rollback and invoke under /kl/v1/functions (CLI and dashboard). */
export function registerFunctionRoutes(router: Router, handles: ModuleHandles): void {
  router.add('GET', /^\/kl\/v1\/functions$/, (_req, res) => {
    try {
      sendJson(res, 200, { items: serverless(handles).list() });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', /^\/kl\/v1\/functions\/([^/]+)\/([^/]+)$/, (_req, res, [ns, name]) => {
    try {
      const api = serverless(handles);
      const details = api.details(ns!, name!);
      if (!details) throw new ApiError(404, 'NotFound', `function ${ns}/${name} is not deployed (create it with kyma-local apply or kyma-local dev)`);
      sendJson(res, 200, { ...details, revisions: api.revisions(ns!, name!) });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', /^\/kl\/v1\/functions\/([^/]+)\/([^/]+)\/revisions$/, (_req, res, [ns, name]) => {
    try {
      sendJson(res, 200, { items: serverless(handles).revisions(ns!, name!) });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', /^\/kl\/v1\/functions\/([^/]+)\/([^/]+)\/rollback$/, async (req, res, [ns, name]) => {
    try {
      const body = await readJson(req);
      const to = isRecord(body) && body.to !== undefined ? Number(body.to) : undefined;
      if (to !== undefined && !Number.isInteger(to)) throw new ApiError(400, 'BadRequest', '"to" must be a revision number');
      sendJson(res, 200, await serverless(handles).rollback(ns!, name!, to));
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError(400, 'BadRequest', (err as Error).message));
    }
  });

  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    router.add(method, /^\/kl\/v1\/functions\/([^/]+)\/([^/]+)\/invoke(\/.*)?$/, (req, res, [ns, name, rest], url) => {
      try {
        invoke(serverless(handles), ns!, name!, `${rest || '/'}${url.search}`, req, res);
      } catch (err) {
        sendError(res, err);
      }
    });
  }
}
