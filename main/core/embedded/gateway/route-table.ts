// APIRules → the gateway's route table, and the status each APIRule gets from it. Pure: the controller feeds it
// the stored APIRules and the names of the services that exist.
import { DEFAULT_APIRULE_TIMEOUT, isRecord, type KubeObject } from '../../model/index.js';
import { parseCors, type CorsPolicy } from './cors.js';
import { hostKey, hostPattern, hostUrls, type HostPattern } from './hosts.js';
import { pathMatcher } from './paths.js';

export interface JwtAuthentication {
  issuer: string;
  jwksUri: string;
  fromHeaders: Array<{ name: string; prefix: string }>;
  fromParams: string[];
}

export interface JwtAuthorization {
  requiredScopes: string[];
  audiences: string[];
}

export type RuleAuth = { kind: 'noAuth' } | { kind: 'jwt'; authentications: JwtAuthentication[]; authorizations: JwtAuthorization[] } | { kind: 'extAuth' };

export interface ServiceRef {
  name: string;
  namespace: string;
  port: number;
}

export interface CompiledRule {
  index: number;
  path: string;
  matches(path: string): boolean;
  /** Empty = every method. */
  methods: string[];
  auth: RuleAuth;
  service: ServiceRef;
  /** The name the service registry resolves. */
  serviceHost: string;
  timeoutMs: number;
  requestHeaders: Record<string, string>;
  requestCookies: Record<string, string>;
}

export type ApiRuleState = 'Ready' | 'Warning' | 'Error';

export interface Route {
  namespace: string;
  name: string;
  /** hosts[0] as written. */
  host: string;
  pattern: HostPattern;
  rules: CompiledRule[];
  cors?: CorsPolicy;
  state: ApiRuleState;
  description: string;
}

export interface RouteTable {
  routes: Route[];
  /** Served routes by exact host key. */
  exact: Map<string, Route>;
  /** Served wildcard routes, longest suffix first. */
  wildcards: Route[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function serviceOf(raw: unknown, ns: string): ServiceRef | undefined {
  if (!isRecord(raw) || typeof raw.name !== 'string') return undefined;
  return { name: raw.name, namespace: typeof raw.namespace === 'string' && raw.namespace ? raw.namespace : ns, port: typeof raw.port === 'number' ? raw.port : 80 };
}

function authOf(r: Record<string, unknown>): RuleAuth {
  if (r.noAuth === true) return { kind: 'noAuth' };
  if (!isRecord(r.jwt)) return { kind: 'extAuth' };
  const authentications = (Array.isArray(r.jwt.authentications) ? r.jwt.authentications : []).filter(isRecord).map((a) => ({
    issuer: String(a.issuer ?? ''),
    jwksUri: String(a.jwksUri ?? ''),
    fromHeaders: (Array.isArray(a.fromHeaders) ? a.fromHeaders : []).filter(isRecord).map((h) => ({ name: String(h.name ?? '').toLowerCase(), prefix: typeof h.prefix === 'string' ? h.prefix : '' })),
    fromParams: strings(a.fromParams),
  }));
  const authorizations = (Array.isArray(r.jwt.authorizations) ? r.jwt.authorizations : []).filter(isRecord).map((z) => ({ requiredScopes: strings(z.requiredScopes), audiences: strings(z.audiences) }));
  return { kind: 'jwt', authentications, authorizations };
}

const seconds = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);

/** One APIRule → a route (state Ready until checked), or a reason it cannot be served. */
export function compileApiRule(obj: KubeObject): Route | { namespace: string; name: string; error: string } {
  const namespace = obj.metadata.namespace ?? 'default';
  const name = obj.metadata.name;
  const spec = obj.spec ?? {};
  if (obj.apiVersion.endsWith('/v1beta1')) {
    return { namespace, name, error: 'APIRule v1beta1 is deprecated upstream and not served by the local gateway; convert it to gateway.kyma-project.io/v2 (hosts, rules[].noAuth/jwt)' };
  }
  const host = strings(spec.hosts)[0];
  if (!host) return { namespace, name, error: 'spec.hosts is empty' };
  const defaultService = serviceOf(spec.service, namespace);
  const defaultTimeout = seconds(spec.timeout) ?? DEFAULT_APIRULE_TIMEOUT;
  const rules: CompiledRule[] = [];
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: unknown, index) => {
    if (!isRecord(r) || typeof r.path !== 'string') return;
    const service = serviceOf(r.service, namespace) ?? defaultService;
    if (!service) return;
    const request = isRecord(r.request) ? r.request : {};
    rules.push({
      index,
      path: r.path,
      matches: pathMatcher(r.path),
      methods: strings(r.methods).map((m) => m.toUpperCase()),
      auth: authOf(r),
      service,
      serviceHost: `${service.name}.${service.namespace}`,
      timeoutMs: (seconds(r.timeout) ?? defaultTimeout) * 1000,
      requestHeaders: stringMap(request.headers),
      requestCookies: stringMap(request.cookies),
    });
  });
  const cors = parseCors(spec.corsPolicy);
  return { namespace, name, host, pattern: hostPattern(host), rules, ...(cors ? { cors } : {}), state: 'Ready', description: '' };
}

const keyOf = (p: HostPattern): string => (p.kind === 'exact' ? p.key : `wild:${p.suffix}`);
const overlap = (a: string[], b: string[]): boolean => a.length === 0 || b.length === 0 || a.some((m) => b.includes(m));

/**
 * Builds the table and works out each APIRule's state: `Error` when it cannot be served or claims a host+path+method
 * another APIRule claims too (both are left out, each naming the other); `Warning` when it is served but a target is
 * missing (requests get 503) or a rule uses extAuth (requests get 403).
 */
export function buildRouteTable(objs: KubeObject[], serviceExists: (host: string) => boolean, port: number): RouteTable {
  const routes: Route[] = [];
  const failed: Route[] = [];
  for (const o of objs) {
    const c = compileApiRule(o);
    if ('error' in c) {
      failed.push({ namespace: c.namespace, name: c.name, host: strings(o.spec?.hosts)[0] ?? String(o.spec?.host ?? ''), pattern: { kind: 'exact', key: '' }, rules: [], state: 'Error', description: c.error });
    } else routes.push(c);
  }
  const byHost = new Map<string, Route[]>();
  for (const r of routes) byHost.set(keyOf(r.pattern), [...(byHost.get(keyOf(r.pattern)) ?? []), r]);
  for (const group of byHost.values()) {
    for (const a of group) {
      const clashes: string[] = [];
      for (const b of group) {
        if (a === b) continue;
        const hit = a.rules.find((ra) => b.rules.some((rb) => rb.path === ra.path && overlap(ra.methods, rb.methods)));
        if (hit) clashes.push(`APIRule ${b.namespace}/${b.name} also claims host ${b.host} path ${hit.path}`);
      }
      if (clashes.length > 0) {
        a.state = 'Error';
        a.description = `${clashes.join('; ')} — requests to it are not served until one of them changes its host or path`;
      }
    }
  }
  for (const r of routes) {
    if (r.state === 'Error') continue;
    const problems: string[] = [];
    const missing = [...new Set(r.rules.filter((x) => !serviceExists(x.serviceHost)).map((x) => `${x.service.namespace}/${x.service.name}`))];
    if (missing.length > 0) problems.push(`service ${missing.join(', ')} not found (no Function of that name in that namespace); requests get 503 until it is deployed`);
    const badPorts = [...new Set(r.rules.filter((x) => x.service.port !== 80).map((x) => x.service.port))];
    if (badPorts.length > 0) problems.push(`Function services listen on port 80; port ${badPorts.join(', ')} would fail on a cluster`);
    if (r.rules.some((x) => x.auth.kind === 'extAuth')) problems.push('extAuth is not supported locally, requests are rejected with 403');
    const urls = hostUrls(r.host, port);
    r.state = problems.length > 0 ? 'Warning' : 'Ready';
    r.description = problems.length > 0 ? problems.join('; ') : `Served at ${urls.url}`;
  }
  const served = routes.filter((r) => r.state !== 'Error');
  const exact = new Map<string, Route>();
  for (const r of served) if (r.pattern.kind === 'exact' && !exact.has(r.pattern.key)) exact.set(r.pattern.key, r);
  const wildcards = served.filter((r) => r.pattern.kind === 'wildcard').sort((a, b) => (b.pattern.kind === 'wildcard' ? b.pattern.suffix.length : 0) - (a.pattern.kind === 'wildcard' ? a.pattern.suffix.length : 0));
  return { routes: [...routes, ...failed], exact, wildcards };
}

/** The served route for a request host, if any. */
export function findRoute(table: RouteTable, host: string, candidates: string[]): Route | undefined {
  const hit = table.exact.get(hostKey(host));
  if (hit) return hit;
  return table.wildcards.find((r) => r.pattern.kind === 'wildcard' && candidates.some((c) => c.endsWith(r.pattern.kind === 'wildcard' ? r.pattern.suffix : '') && c.length > (r.pattern.kind === 'wildcard' ? r.pattern.suffix.length : 0)));
}

/** The first rule (order = priority) matching path and method. */
export function findRule(route: Route, path: string, method: string): CompiledRule | undefined {
  return route.rules.find((r) => r.matches(path) && (r.methods.length === 0 || r.methods.includes(method)));
}
