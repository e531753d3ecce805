import { ApiError, isRecord } from '../../model/index.js';
import { GatewayError, type AppConnectorApi, type GatewayCallRequest } from '../../embedded/index.js';
import type { ModuleHandles } from '../modules.js';
import type { Router } from '../router.js';
import { readJson, sendError, sendJson } from '../http-util.js';

function connector(handles: ModuleHandles): AppConnectorApi {
  const m = handles.appConnector;
  if (!m || m.status().state !== 'Ready') {
    throw new ApiError(503, 'ServiceUnavailable', 'application-connector is not running — run `kyma-local up` with a profile that includes it');
  }
  return m.api;
}

function fail(res: Parameters<typeof sendError>[0], err: unknown): void {
  if (err instanceof GatewayError) sendError(res, new ApiError(err.status, err.status === 404 ? 'NotFound' : err.status === 400 ? 'BadRequest' : 'ServiceUnavailable', err.message));
  else sendError(res, err);
}

function callRequest(body: unknown): GatewayCallRequest {
  if (!isRecord(body) || typeof body.service !== 'string' || !body.service) throw new ApiError(400, 'BadRequest', 'body must be {"service": "<service>", "method": "GET", "path": "/orders", "headers"?: {}, "body"?: "..."}');
  const headers = isRecord(body.headers) ? Object.fromEntries(Object.entries(body.headers).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
  return {
    service: body.service,
    method: typeof body.method === 'string' && body.method ? body.method.toUpperCase() : 'GET',
    path: typeof body.path === 'string' ? body.path : '/',
    ...(headers ? { headers } : {}),
    ...(typeof body.body === 'string' ? { body: body.body } : {}),
  };
}

/** Applications with their gateway URLs and recent calls, the call console and the spec catalog under /kl/v1/applications. */
export function registerApplicationRoutes(router: Router, handles: ModuleHandles): void {
  router.add('GET', /^\/kl\/v1\/applications$/, (_req, res) => {
    try {
      sendJson(res, 200, connector(handles).applications());
    } catch (err) {
      fail(res, err);
    }
  });

  router.add('POST', /^\/kl\/v1\/applications\/([^/]+)\/call$/, async (req, res, [app]) => {
    try {
      sendJson(res, 200, await connector(handles).call(app!, callRequest(await readJson(req))));
    } catch (err) {
      fail(res, err);
    }
  });

  router.add('GET', /^\/kl\/v1\/applications\/([^/]+)\/services\/([^/]+)\/spec$/, async (_req, res, [app, service], url) => {
    try {
      sendJson(res, 200, await connector(handles).spec(app!, service!, { refresh: url.searchParams.get('refresh') === 'true' }));
    } catch (err) {
      fail(res, err);
    }
  });
}
