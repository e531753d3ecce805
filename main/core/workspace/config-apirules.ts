import { isSeq, type YAMLMap } from 'yaml';
import { dns1123SubdomainProblem } from './names.js';
import type { AccessStrategyConfig, ApiRuleConfig, ApiRuleRuleConfig } from './types.js';
import { childField, type NodeChecker } from './yaml-nodes.js';

export const NO_AUTH_HANDLERS = ['allow', 'noop', 'no_auth'] as const;
const HANDLERS = [...NO_AUTH_HANDLERS, 'jwt'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];

/** `apiRules[]` in the Kyma CLI (hydroform) shape; converted to APIRule v2 by apirule.ts. */
export function parseApiRules(c: NodeChecker, root: YAMLMap): ApiRuleConfig[] {
  const out: ApiRuleConfig[] = [];
  for (const { m, field } of c.mapList(root, 'apiRules', '') ?? []) {
    const rule = parseApiRule(c, m, field);
    if (rule) out.push(rule);
  }
  return out;
}

function parseApiRule(c: NodeChecker, m: YAMLMap, field: string): ApiRuleConfig | undefined {
  const before = c.errors.length;
  c.checkKeys(m, field, ['name', 'gateway', 'service', 'rules']);
  const name = c.string(m, 'name', field);
  const nameProblem = name === undefined ? undefined : dns1123SubdomainProblem(name);
  if (nameProblem) c.fail(c.get(m, 'name'), childField(field, 'name'), `invalid APIRule name "${name}": ${nameProblem}`);
  const gateway = c.string(m, 'gateway', field);
  let host: string | undefined;
  let port: number | undefined;
  const serviceNode = c.get(m, 'service');
  if (serviceNode !== undefined && serviceNode !== null) {
    const sf = childField(field, 'service');
    const service = c.map(serviceNode, sf);
    if (service) {
      c.checkKeys(service, sf, ['host', 'port']);
      host = c.string(service, 'host', sf);
      port = c.integer(service, 'port', sf);
      if (port !== undefined && (port < 1 || port > 65535)) c.fail(c.get(service, 'port'), childField(sf, 'port'), `port ${port} is out of range 1-65535`);
    }
  }
  const rules = parseRules(c, m, field);
  if (c.errors.length !== before || !rules) return undefined;
  return {
    ...(name ? { name } : {}),
    ...(gateway ? { gateway } : {}),
    ...(host ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
    rules,
  };
}

function parseRules(c: NodeChecker, m: YAMLMap, field: string): ApiRuleRuleConfig[] | undefined {
  const rf = childField(field, 'rules');
  const node = c.get(m, 'rules');
  if (node === undefined || node === null) {
    c.fail(node ?? m, rf, `${field} needs rules, e.g. \`rules: [{path: /*, methods: [GET], accessStrategies: [{handler: no_auth}]}]\``);
    return undefined;
  }
  const items = c.mapList(m, 'rules', field);
  if (!items) return undefined;
  if (isSeq(node) && node.items.length === 0) c.fail(node, rf, `${rf} is empty: add at least one rule`);
  const out: ApiRuleRuleConfig[] = [];
  for (const { m: r, field: f } of items) {
    c.checkKeys(r, f, ['path', 'methods', 'accessStrategies']);
    const path = c.string(r, 'path', f);
    const methods = c.stringList(r, 'methods', f);
    methods?.forEach((meth, j) => {
      if (!METHODS.includes(meth)) c.fail(c.get(r, 'methods'), childField(childField(f, 'methods'), j), `unknown HTTP method "${meth}": use one of ${METHODS.join(', ')}`);
    });
    const strategies = parseStrategies(c, r, f);
    out.push({ ...(path !== undefined ? { path } : {}), ...(methods ? { methods } : {}), accessStrategies: strategies });
  }
  return out;
}

function parseStrategies(c: NodeChecker, r: YAMLMap, parent: string): AccessStrategyConfig[] {
  const field = childField(parent, 'accessStrategies');
  const out: AccessStrategyConfig[] = [];
  for (const { m: s, field: f } of c.mapList(r, 'accessStrategies', parent) ?? []) {
    c.checkKeys(s, f, ['handler', 'config']);
    const handler = c.string(s, 'handler', f, { required: `one of ${HANDLERS.join(', ')}` });
    if (handler === undefined) continue;
    if (!HANDLERS.includes(handler)) {
      const why = handler === 'oauth2_introspection' ? 'APIRule v2 has no token introspection; use jwt' : `use one of ${HANDLERS.join(', ')}`;
      c.fail(c.get(s, 'handler'), childField(f, 'handler'), `unsupported access strategy handler "${handler}": ${why}`);
      continue;
    }
    out.push(parseStrategyConfig(c, s, f, handler));
  }
  const kinds = new Set(out.map((s) => (s.handler === 'jwt' ? 'jwt' : 'noAuth')));
  if (kinds.size > 1) c.fail(c.get(r, 'accessStrategies'), field, `${field} mixes jwt with no-auth handlers; APIRule v2 allows one kind per rule: split into two rules`);
  return out;
}

function parseStrategyConfig(c: NodeChecker, s: YAMLMap, parent: string, handler: string): AccessStrategyConfig {
  const strategy: AccessStrategyConfig = { handler, jwksUrls: [], trustedIssuers: [], requiredScope: [] };
  const node = c.get(s, 'config');
  if (node === undefined || node === null) {
    if (handler === 'jwt') c.fail(s, childField(parent, 'config'), `${parent}: jwt needs config.jwksUrls and config.trustedIssuers`);
    return strategy;
  }
  const f = childField(parent, 'config');
  const cfg = c.map(node, f);
  if (!cfg) return strategy;
  // Both spellings appear upstream: hydroform's Go struct (camelCase) and the Oathkeeper-style docs (snake_case).
  const aliases = { jwksUrls: 'jwks_urls', trustedIssuers: 'trusted_issuers', requiredScope: 'required_scope' } as const;
  c.checkKeys(cfg, f, [...Object.keys(aliases), ...Object.values(aliases)]);
  for (const [camel, snake] of Object.entries(aliases) as Array<[keyof typeof aliases, string]>) {
    strategy[camel] = [...(c.stringList(cfg, camel, f) ?? []), ...(c.stringList(cfg, snake, f) ?? [])];
  }
  if (handler !== 'jwt') return strategy;
  const { jwksUrls: urls, trustedIssuers: issuers } = strategy;
  if (urls.length === 0 || issuers.length === 0) {
    c.fail(cfg, f, `${f}: jwt needs at least one jwksUrls entry and one trustedIssuers entry`);
  } else if (urls.length !== issuers.length && urls.length !== 1 && issuers.length !== 1) {
    c.fail(cfg, f, `${f}: ${urls.length} jwksUrls but ${issuers.length} trustedIssuers; list them pairwise (issuer i uses jwksUrl i)`);
  }
  return strategy;
}
