import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, decodePathSegment, failureStatus } from '../../model/index.js';
import type { FunctionUrl } from '../../runtime.js';
import { sendStatus } from './http.js';

/** `/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy[/{path}]`, parsed. */
export interface ServiceProxyPath {
  namespace: string;
  service: string;
  /** `http` or `https` when the path names one (`https:name:443`). */
  scheme?: string;
  /** Port number or name when the path names one (`name:8080`, `name:http`). */
  port?: string;
  /** The path to send to the service, still URL-encoded as the client sent it; '' when the request ended at `/proxy`. */
  path: string;
}

const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;

/**
 * Parses a service proxy path the way the API server does (`SplitSchemeNamePort`: `name`, `name:port` or
 * `scheme:name:port`); undefined when the path is not one, or its service part is malformed.
 */
export function parseServiceProxyPath(pathname: string): ServiceProxyPath | undefined {
  const m = PROXY_PATH.exec(pathname);
  if (!m) return undefined;
  const namespace = decodePathSegment(m[1]!);
  const parts = decodePathSegment(m[2]!).split(':');
  let scheme: string | undefined;
  let service: string;
  let port: string | undefined;
  if (parts.length === 1) service = parts[0]!;
  else if (parts.length === 2) [service, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, service, port] = parts as [string, string, string];
  else return undefined;
  if (service === '' || namespace === '' || (scheme !== undefined && scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { namespace, service, ...(scheme ? { scheme } : {}), ...(port ? { port } : {}), path: m[3] ?? '' };
}

/** Where a service is reached from the daemon; undefined = no such service. May throw an ApiError (e.g. 503). */
export type ServiceResolver = (namespace: string, name: string) => FunctionUrl | undefined;

/** Headers about this one connection; the proxy sets its own. */
const CONNECTION_LEVEL = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'proxy-connection']);
/** ...plus the daemon's credentials (the API server, too, drops Authorization once it has authenticated a request). */
const NOT_FORWARDED = new Set([...CONNECTION_LEVEL, 'host', 'authorization', 'cookie', 'origin']);

/**
 * The `services/{name}/proxy` subresource: the request (any method, body streamed) goes to the service the way
 * in-cluster callers reach it, and its answer comes back as is. Like the API server: an unknown service is a 404
 * Status, the bare `/proxy` is redirected to `/proxy/`, and the caller's credentials never reach the service.
 */
export function proxyToService(req: IncomingMessage, res: ServerResponse, url: URL, target: ServiceProxyPath, resolve: ServiceResolver): void {
  // A function's answer served from the daemon's own origin could run script there with the dashboard's session:
  // the proxy serves API clients that present the token (kubectl, client-node), never a cookie-signed-in browser.
  if (!req.headers.authorization) {
    throw new ApiError(403, 'Forbidden', 'the service proxy needs the API token (kubectl with `kyma-local kubeconfig`, or a bearer token); the dashboard session is not accepted here — use the function\'s Invoke console or `kyma-local invoke`');
  }
  if (target.scheme === 'https') throw new ApiError(503, 'ServiceUnavailable', `the local services speak plain http; use ${target.service}${target.port ? `:${target.port}` : ''} instead of https:${target.service}`);
  const endpoint = resolve(target.namespace, target.service);
  if (!endpoint) throw new ApiError(404, 'NotFound', `services "${target.service}" not found`, { name: target.service, kind: 'services' });
  if (target.path === '') {
    res.writeHead(301, { location: `${url.pathname}/${url.search}` });
    res.end();
    return;
  }
  const headers: Record<string, string | string[]> = { host: endpoint.host };
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !NOT_FORWARDED.has(k)) headers[k] = v;
  const forwardedFor = req.socket.remoteAddress;
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  Object.assign(headers, endpoint.trustHeaders ?? {});
  const upstream = httpRequest(`${endpoint.url}${target.path}${url.search}`, { method: req.method ?? 'GET', headers }, (up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !CONNECTION_LEVEL.has(k)) out[k] = v;
    res.writeHead(up.statusCode ?? 502, out);
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) sendStatus(res, failureStatus(503, 'ServiceUnavailable', `error trying to reach service: ${err.message}`));
    else res.destroy(err);
  });
  req.pipe(upstream);
}
