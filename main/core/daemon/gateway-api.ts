import { ApiError, isRecord } from '../model/index.js';
import { OAuthError, type GatewayApi, type MintRequest } from '../embedded/index.js';
import type { ModuleHandles } from './modules.js';
import type { Router } from './router.js';
import { readJson, sendJson } from './http-util.js';

function gateway(handles: ModuleHandles): GatewayApi {
  const m = handles.gateway;
  if (!m || m.status().state !== 'Ready') throw new ApiError(503, 'ServiceUnavailable', 'api-gateway is not running — run `kyma-local up` with a profile that includes it');
  return m.api;
}

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
export function registerGatewayRoutes(router: Router, handles: ModuleHandles): void {
  router.add('GET', /^\/kl\/v1\/gateway\/apirules$/, (_req, res) => {
    const g = gateway(handles);
    sendJson(res, 200, { url: g.url(), items: g.apiRules() });
  });
  router.add('GET', /^\/kl\/v1\/gateway\/issuer$/, (_req, res) => sendJson(res, 200, gateway(handles).issuer()));
  router.add('POST', /^\/kl\/v1\/gateway\/token$/, async (req, res) => {
    const g = gateway(handles);
    try {
      sendJson(res, 200, await g.mint(mintRequest(await readJson(req))));
    } catch (err) {
      if (err instanceof OAuthError) throw new ApiError(400, 'BadRequest', err.message);
      throw err;
    }
  });
  router.add('POST', /^\/kl\/v1\/gateway\/rotate$/, async (_req, res) => sendJson(res, 200, await gateway(handles).rotate()));
}
