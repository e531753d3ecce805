import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, failureStatus, isRecord } from '../../model/index.js';
import { ROUTES } from '../../api/index.js';
import type { FunctionsCapability } from '../../runtime.js';
import type { Router } from '../http/router.js';
import { readJson, sendError, sendJson, sendStatus } from '../http/toolkit.js';
import { capability, type CurrentRuntime } from './capability.js';

function serverless(runtime: CurrentRuntime): FunctionsCapability {
  return capability(runtime(), 'functions').get();
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'cookie', 'origin', 'content-length']);

/**
 * Proxies an invocation to the function through the mesh (the same path in-cluster callers take), so the CLI
 * and dashboard see exactly what another function would. The daemon's own credentials are not forwarded.
 */
function invoke(api: FunctionsCapability, ns: string, name: string, path: string, req: IncomingMessage, res: ServerResponse): void {
  const target = api.functionUrl(ns, name);
  const headers: Record<string, string | string[]> = { host: target.host };
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  const started = performance.now();
  const upstream = httpRequest(`${target.url}${path}`, { method: req.method ?? 'GET', headers }, (up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
    out['x-kyma-local-duration-ms'] = (performance.now() - started).toFixed(1);
    res.writeHead(up.statusCode ?? 502, out);
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) sendStatus(res, failureStatus(502, 'ServiceUnavailable', `invoking ${ns}/${name} failed: ${err.message}`));
    else res.destroy(err);
  });
  req.pipe(upstream);
}

/** Function details, revisions, rollback and invoke under /kl/v1/functions (CLI and dashboard). */
export function registerFunctionRoutes(router: Router, runtime: CurrentRuntime): void {
  router.add('GET', ROUTES.functions, (_req, res) => {
    try {
      sendJson(res, 200, { items: serverless(runtime).list() });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.function, (_req, res, [ns, name]) => {
    try {
      const api = serverless(runtime);
      const details = api.details(ns!, name!);
      if (!details) throw new ApiError(404, 'NotFound', `function ${ns}/${name} is not deployed (create it with kyma-local apply or kyma-local dev)`);
      sendJson(res, 200, { ...details, revisions: api.revisions(ns!, name!) });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.functionRevisions, (_req, res, [ns, name]) => {
    try {
      sendJson(res, 200, { items: serverless(runtime).revisions(ns!, name!) });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.functionRollback, async (req, res, [ns, name]) => {
    try {
      const body = await readJson(req);
      const to = isRecord(body) && body.to !== undefined ? Number(body.to) : undefined;
      if (to !== undefined && !Number.isInteger(to)) throw new ApiError(400, 'BadRequest', '"to" must be a revision number');
      sendJson(res, 200, await serverless(runtime).rollback(ns!, name!, to));
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError(400, 'BadRequest', (err as Error).message));
    }
  });

  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    router.add(method, ROUTES.functionInvoke, (req, res, [ns, name, rest], url) => {
      try {
        invoke(serverless(runtime), ns!, name!, `${rest || '/'}${url.search}`, req, res);
      } catch (err) {
        sendError(res, err);
      }
    });
  }
}
