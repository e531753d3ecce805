import { ApiError, isRecord } from '../../model/index.js';
import { ROUTES, type MintRequest } from '../../api/index.js';
import type { Router } from '../http/router.js';
import { readJson, sendJson } from '../http/toolkit.js';
import { capability, type CurrentRuntime } from './capability.js';

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

function mintRequest(body: unknown): MintRequest {
  if (!isRecord(body)) throw new ApiError(400, 'BadRequest', 'the body must be a JSON object {scopes, audience, user, ttlSeconds}');
  const scopes = strings(body.scopes);
  return {
    ...(scopes ? { scopes } : {}),
    ...(typeof body.audience === 'string' ? { audience: body.audience } : {}),
    ...(typeof body.user === 'string' ? { user: body.user } : {}),
    ...(typeof body.ttlSeconds === 'number' ? { ttlSeconds: body.ttlSeconds } : {}),
  };
}

/** APIRules as served (URL, curl line, state) and the local OIDC issuer (token, rotate) under /kl/v1/gateway. */
export function registerGatewayRoutes(router: Router, runtime: CurrentRuntime): void {
  const gateway = () => capability(runtime(), 'gateway').get();
  router.add('GET', ROUTES.gatewayApiRules, (_req, res) => {
    const g = gateway();
    sendJson(res, 200, { url: g.url(), items: g.apiRules() });
  });
  router.add('GET', ROUTES.gatewayIssuer, (_req, res) => sendJson(res, 200, gateway().issuer()));
  router.add('POST', ROUTES.gatewayToken, async (req, res) => {
    const g = gateway();
    sendJson(res, 200, await g.mint(mintRequest(await readJson(req))));
  });
  router.add('POST', ROUTES.gatewayTry, async (req, res, params) => {
    const body = await readJson(req);
    if (!isRecord(body) || typeof body.method !== 'string' || typeof body.path !== 'string') throw new ApiError(400, 'BadRequest', 'the body must be {method, path, body?, token?}');
    const answer = await gateway().tryIt(params[0]!, params[1]!, {
      method: body.method.toUpperCase(),
      path: body.path,
      ...(typeof body.body === 'string' ? { body: body.body } : {}),
      ...(typeof body.token === 'string' && body.token ? { token: body.token } : {}),
    });
    sendJson(res, 200, answer);
  });
  router.add('POST', ROUTES.gatewayRotate, async (_req, res) => sendJson(res, 200, await gateway().rotate()));
}
