import type { KubeObject } from '../model/index.js';
import { NO_AUTH_HANDLERS } from './config-apirules.js';
import type { AccessStrategyConfig, ApiRuleRuleConfig, FunctionConfig } from './types.js';

export const APIRULE_API_VERSION = 'gateway.kyma-project.io/v2';
export const DEFAULT_GATEWAY = 'kyma-system/kyma-gateway';
export const DEFAULT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

/**
 * config.yaml `apiRules[]` (Kyma CLI, written for APIRule v1beta1/Oathkeeper) → APIRule v2:
 * - name defaults to the Function's name; `service.host` becomes `hosts: [host]` (default: the Function's
 *   name as a short host label, which v2 completes with the gateway's domain); `service` points at the
 *   Function's Service, port `service.port` (default 80).
 * - gateway `NAME.NS.svc.cluster.local` becomes `NS/NAME`; default `kyma-system/kyma-gateway`.
 * - each rule keeps `methods`; `path` defaults to `/*`; the regex paths of v1beta1 are translated: `/.*` → `/*`,
 *   a trailing `/.*` → `/{**}`; no methods means GET, POST, PUT, PATCH, DELETE, HEAD (v2 requires at least one).
 * - access strategies: none, `allow`, `noop` or `no_auth` → `noAuth: true`; `jwt` → `jwt.authentications`
 *   pairing `trustedIssuers[i]` with `jwksUrls[i]` (one issuer or one URL is paired with every entry of the
 *   other list), and `requiredScope` → `jwt.authorizations[{requiredScopes}]`.
 */
export function toApiRules(cfg: FunctionConfig): KubeObject[] {
  return cfg.apiRules.map((r) => ({
    apiVersion: APIRULE_API_VERSION,
    kind: 'APIRule',
    metadata: {
      name: r.name ?? cfg.name,
      namespace: cfg.namespace,
      ...(cfg.labels && Object.keys(cfg.labels).length > 0 ? { labels: { ...cfg.labels } } : {}),
    },
    spec: {
      hosts: [r.host ?? cfg.name],
      service: { name: cfg.name, namespace: cfg.namespace, port: r.port ?? 80 },
      gateway: convertGateway(r.gateway),
      rules: r.rules.map(convertRule),
    },
  }));
}

export function convertGateway(gateway: string | undefined): string {
  if (!gateway) return DEFAULT_GATEWAY;
  const svc = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(gateway);
  return svc ? `${svc[2]}/${svc[1]}` : gateway;
}

export function convertPath(path: string | undefined): string {
  if (!path || path === '/.*' || path === '.*') return '/*';
  if (path.endsWith('/.*')) return `${path.slice(0, -3)}/{**}`;
  return path;
}

function convertRule(rule: ApiRuleRuleConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { path: convertPath(rule.path) };
  // v2 requires methods (MinItems=1); the CLI let them be omitted, meaning any method of its docs' example list.
  out.methods = rule.methods && rule.methods.length > 0 ? [...rule.methods] : [...DEFAULT_METHODS];
  const jwt = rule.accessStrategies.filter((s) => s.handler === 'jwt');
  const noAuth = rule.accessStrategies.every((s) => (NO_AUTH_HANDLERS as readonly string[]).includes(s.handler));
  if (jwt.length > 0) out.jwt = convertJwt(jwt);
  else if (noAuth) out.noAuth = true;
  return out;
}

function convertJwt(strategies: AccessStrategyConfig[]): Record<string, unknown> {
  const authentications: Array<{ issuer: string; jwksUri: string }> = [];
  const scopes: string[] = [];
  for (const s of strategies) {
    const n = Math.max(s.jwksUrls.length, s.trustedIssuers.length);
    for (let i = 0; i < n; i++) {
      const issuer = s.trustedIssuers[s.trustedIssuers.length === 1 ? 0 : i];
      const jwksUri = s.jwksUrls[s.jwksUrls.length === 1 ? 0 : i];
      if (issuer && jwksUri) authentications.push({ issuer, jwksUri });
    }
    scopes.push(...s.requiredScope);
  }
  return { authentications, ...(scopes.length > 0 ? { authorizations: [{ requiredScopes: scopes }] } : {}) };
}
