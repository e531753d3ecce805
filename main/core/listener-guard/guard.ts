import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { hostnameOf, isClusterLocalHostname, isLoopbackHostname } from './hosts.js';
import { crossSiteOrigin, normalizeOrigin } from './origins.js';

export interface ListenerGuardOptions {
  /** Names the listener in refusals, e.g. "publisher proxy". */
  listener: string;
  /**
   * Host names accepted besides the loopback ones (127.0.0.0/8, ::1, localhost, *.localhost): a list (exact,
   * case-insensitive) or a predicate on the lower-cased hostname without port — e.g. the gateway's APIRule hosts.
   */
  hosts?: readonly string[] | ((hostname: string) => boolean);
  /** Accept `<svc>.<ns>.svc[.cluster.local]` (listeners reached by workers under in-cluster names). */
  clusterLocalHosts?: boolean;
  /**
   * Browser origins allowed to call cross-site (a CORS allowlist): a list of origins (`https://app.example:8443`,
   * `*` for any) or a predicate (the gateway asks each APIRule's corsPolicy). Default: none — only loopback origins.
   */
  allowOrigins?: readonly string[] | ((origin: string, req: IncomingMessage) => boolean);
  /**
   * Answer CORS preflights (`OPTIONS` with `Access-Control-Request-Method`) from allowed origins and add
   * `Access-Control-Allow-Origin` to their responses. Leave unset when the listener does its own CORS.
   */
  cors?: { methods: readonly string[]; maxAgeSeconds?: number };
}

export type GuardVerdict = { ok: true } | { ok: false; status: 403; message: string };

export interface ListenerGuard {
  /** Host allowlist first, then cross-site rejection. */
  check(req: IncomingMessage): GuardVerdict;
  /**
   * Runs `check` before `handler`: a refused request gets 403 text/plain naming the problem and the fix; with
   * `cors`, preflights are answered here and allowed origins get their CORS header.
   */
  wrap(handler: RequestListener): RequestListener;
}

export function createListenerGuard(opts: ListenerGuardOptions): ListenerGuard {
  const extraHosts = hostPredicate(opts.hosts);
  const originAllowed = originPredicate(opts.allowOrigins);

  const check = (req: IncomingMessage): GuardVerdict => {
    const rawHost = req.headers.host;
    const hostname = rawHost ? hostnameOf(rawHost) : '';
    const hostOk = hostname !== '' && (isLoopbackHostname(hostname) || (opts.clusterLocalHosts === true && isClusterLocalHostname(hostname)) || extraHosts(hostname));
    if (!hostOk) {
      return {
        ok: false,
        status: 403,
        message: `forbidden: Host "${rawHost ?? ''}" is not a name of this machine; the ${opts.listener} answers only 127.0.0.1, localhost and *.localhost${opts.clusterLocalHosts ? ' and <service>.<namespace>.svc.cluster.local' : ''}`,
      };
    }
    const foreign = crossSiteOrigin(req, (o) => originAllowed(o, req));
    if (foreign !== undefined) {
      return {
        ok: false,
        status: 403,
        message: `forbidden: cross-site browser request from ${foreign}; the ${opts.listener} accepts browser requests only from loopback origins${opts.cors ? ' and the origins allowed in the cluster profile' : ''}`,
      };
    }
    return { ok: true };
  };

  const wrap = (handler: RequestListener): RequestListener => {
    return (req: IncomingMessage, res: ServerResponse) => {
      const verdict = check(req);
      if (!verdict.ok) return refuse(req, res, verdict.message);
      const origin = req.headers.origin;
      if (opts.cors && origin && originAllowed(origin, req)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Vary', 'Origin');
        if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
          res.writeHead(204, {
            'Access-Control-Allow-Methods': opts.cors.methods.join(', '),
            'Access-Control-Allow-Headers': String(req.headers['access-control-request-headers'] ?? 'content-type'),
            'Access-Control-Max-Age': String(opts.cors.maxAgeSeconds ?? 600),
          });
          res.end();
          return;
        }
      }
      handler(req, res);
    };
  };

  return { check, wrap };
}

function refuse(req: IncomingMessage, res: ServerResponse, message: string): void {
  // Drain the body so a keep-alive client is not left with a half-read request on the socket.
  req.resume();
  const body = `${message}\n`;
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function hostPredicate(hosts: ListenerGuardOptions['hosts']): (hostname: string) => boolean {
  if (!hosts) return () => false;
  if (typeof hosts === 'function') return hosts;
  const set = new Set(hosts.map((h) => hostnameOf(h)));
  return (h) => set.has(h);
}

function originPredicate(allow: ListenerGuardOptions['allowOrigins']): (origin: string, req: IncomingMessage) => boolean {
  if (!allow) return () => false;
  if (typeof allow === 'function') return allow;
  if (allow.includes('*')) return (o) => o !== 'null';
  const set = new Set(allow.map(normalizeOrigin));
  return (o) => set.has(normalizeOrigin(o));
}
