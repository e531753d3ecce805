import { decodePathSegment, type ResourceType } from '../../model/index.js';

/** A request path of the Kubernetes API, resolved against the served resource types. */
export type KubeRoute =
  | { kind: 'version' }
  | { kind: 'openapi-v2' }
  | { kind: 'openapi-v3-root' }
  | { kind: 'openapi-v3-gv'; group: string; version: string }
  | { kind: 'core-versions' }
  | { kind: 'group-list' }
  | { kind: 'group'; group: string }
  | { kind: 'resource-list'; group: string; version: string }
  | ResourceRoute
  | { kind: 'unknown' };

export interface ResourceRoute {
  kind: 'resource';
  type: ResourceType;
  version: string;
  /** Set for namespaced paths; undefined for cluster-scoped kinds and all-namespaces collections. */
  namespace?: string;
  /** Undefined for collections. */
  name?: string;
  subresource?: 'status';
  /** The deprecated `/watch/` path prefix, equivalent to `?watch=true`. */
  watchPrefix: boolean;
}

/** Whether a path belongs to the Kubernetes API (everything else goes to the daemon's own routes). */
export function isKubePath(pathname: string): boolean {
  return (
    pathname === '/api' || pathname.startsWith('/api/') ||
    pathname === '/apis' || pathname.startsWith('/apis/') ||
    pathname === '/openapi/v2' || pathname === '/openapi/v3' || pathname.startsWith('/openapi/v3/') ||
    pathname === '/version' || pathname === '/version/'
  );
}

export function resolveRoute(pathname: string, types: ResourceType[]): KubeRoute {
  const segs = pathname.split('/').filter((s) => s !== '').map(decodePathSegment);
  const [head, ...rest] = segs;
  switch (head) {
    case 'version':
      return rest.length === 0 ? { kind: 'version' } : { kind: 'unknown' };
    case 'openapi':
      return resolveOpenApi(rest);
    case 'api':
      if (rest.length === 0) return { kind: 'core-versions' };
      if (rest.length === 1) return rest[0] === 'v1' ? { kind: 'resource-list', group: '', version: 'v1' } : { kind: 'unknown' };
      return resolveResource('', rest[0]!, rest.slice(1), types);
    case 'apis':
      if (rest.length === 0) return { kind: 'group-list' };
      if (rest.length === 1) return types.some((t) => t.group === rest[0]) ? { kind: 'group', group: rest[0]! } : { kind: 'unknown' };
      if (rest.length === 2) return servesVersion(types, rest[0]!, rest[1]!) ? { kind: 'resource-list', group: rest[0]!, version: rest[1]! } : { kind: 'unknown' };
      return resolveResource(rest[0]!, rest[1]!, rest.slice(2), types);
    default:
      return { kind: 'unknown' };
  }
}

function resolveOpenApi(rest: string[]): KubeRoute {
  if (rest.length === 1 && rest[0] === 'v2') return { kind: 'openapi-v2' };
  if (rest[0] !== 'v3') return { kind: 'unknown' };
  if (rest.length === 1) return { kind: 'openapi-v3-root' };
  // /openapi/v3/api/v1 and /openapi/v3/apis/<group>/<version>
  if (rest[1] === 'api' && rest.length === 3) return { kind: 'openapi-v3-gv', group: '', version: rest[2]! };
  if (rest[1] === 'apis' && rest.length === 4) return { kind: 'openapi-v3-gv', group: rest[2]!, version: rest[3]! };
  return { kind: 'unknown' };
}

export function servesVersion(types: ResourceType[], group: string, version: string): boolean {
  return types.some((t) => t.group === group && t.versions.includes(version));
}

function resolveResource(group: string, version: string, segs: string[], types: ResourceType[]): KubeRoute {
  const served = types.filter((t) => t.group === group && t.versions.includes(version));
  if (served.length === 0) return { kind: 'unknown' };
  const watchPrefix = segs[0] === 'watch';
  const s = watchPrefix ? segs.slice(1) : segs;
  const byPlural = (p: string | undefined): ResourceType | undefined => served.find((t) => t.plural === p);

  // `namespaces/<ns>/<plural>/...` is a namespaced resource only when <plural> names a namespaced kind;
  // otherwise it is the Namespace object itself (e.g. `namespaces/<ns>/status`).
  if (s[0] === 'namespaces' && s.length >= 3 && byPlural(s[2])?.namespaced) {
    const type = byPlural(s[2])!;
    return withSubresource({ kind: 'resource', type, version, namespace: s[1]!, watchPrefix }, s.slice(3));
  }
  const type = byPlural(s[0]);
  if (!type) return { kind: 'unknown' };
  // A namespaced kind without a namespace is only addressable as the all-namespaces collection.
  if (type.namespaced && s.length > 1) return { kind: 'unknown' };
  return withSubresource({ kind: 'resource', type, version, watchPrefix }, s.slice(1));
}

function withSubresource(route: ResourceRoute, tail: string[]): KubeRoute {
  if (tail.length === 0) return route;
  const [name, sub, ...extra] = tail;
  if (extra.length > 0) return { kind: 'unknown' };
  if (sub === undefined) return { ...route, name: name! };
  if (sub === 'status' && route.type.hasStatus) return { ...route, name: name!, subresource: 'status' };
  return { kind: 'unknown' };
}
