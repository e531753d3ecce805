import { ApiError, isRecord } from '../../model/index.js';
import { ROUTES, type GatewayCallRequest } from '../../api/index.js';
import type { ApplicationsCapability } from '../../runtime.js';
import type { Router } from '../http/router.js';
import { readJson, sendError, sendJson } from '../http/toolkit.js';
import { capability, type CurrentRuntime } from './capability.js';

function connector(runtime: CurrentRuntime): ApplicationsCapability {
  return capability(runtime(), 'applications').get();
}

function callRequest(body: unknown): GatewayCallRequest {
  if (!isRecord(body) || typeof body.service !== 'string' || !body.service) {
    throw new ApiError(400, 'BadRequest', 'body must be {"service": "<service>", "method": "GET", "path": "/orders", "headers"?: {}, "body"?: "..."}');
  }
  const headers = isRecord(body.headers) ? Object.fromEntries(Object.entries(body.headers).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
  return {
    service: body.service,
    method: typeof body.method === 'string' && body.method ? body.method.toUpperCase() : 'GET',
    path: typeof body.path === 'string' ? body.path : '/',
    ...(headers ? { headers } : {}),
    ...(typeof body.body === 'string' ? { body: body.body } : {}),
  };
}

/** Applications with their gateway URLs and recent calls, the call console and the spec catalog (CLI and dashboard). */
export function registerApplicationRoutes(router: Router, runtime: CurrentRuntime): void {
  router.add('GET', ROUTES.applications, (_req, res) => {
    try {
      sendJson(res, 200, connector(runtime).applications());
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.applicationCall, async (req, res, [app]) => {
    try {
      sendJson(res, 200, await connector(runtime).call(app!, callRequest(await readJson(req))));
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.applicationSpec, async (_req, res, [app, service], url) => {
    try {
      sendJson(res, 200, await connector(runtime).spec(app!, service!, { refresh: url.searchParams.get('refresh') === 'true' }));
    } catch (err) {
      sendError(res, err);
    }
  });
}
