// Events from external systems on the host: the local stand-in for Kyma's connectivity validator. Only registered
// Applications are accepted, each with its own token; accepted requests go to the publisher proxy unchanged
// (legacy `/<app>/v1/events`, CloudEvents on `/<app>/v2/events` and `/<app>/events`), trace headers included.
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { APPLICATION, type Logger } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { inboundToken, inboundTokenSecretName } from './status.js';
import { APP_SECRETS_NAMESPACE } from './secrets.js';

export interface InboundDeps {
  store: Store;
  log: Logger;
  /** The publisher proxy's base URL (http://127.0.0.1:PORT), undefined while eventing is not running. */
  publisher(): string | undefined;
  /** Called for every accepted or refused event request, for the dashboard. */
  onEvent?(app: string, status: number): void;
}

const ROUTE = /^\/([^/]+)\/(v1\/events\/subscribed|v1\/events|v2\/events|events)\/?$/;
const PASS_HEADERS = ['content-type', 'traceparent', 'tracestate', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'b3'];
const PASS_PREFIX = 'ce-';

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function handleInbound(d: InboundDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://inbound').pathname;
  if (path === '/healthz') return json(res, 200, { status: 'ok' });
  const m = ROUTE.exec(path);
  if (!m) return json(res, 404, { code: 404, error: `no route for ${path}; post events to /<application>/v1/events (legacy) or /<application>/events (CloudEvents)` });
  const app = decodeURIComponent(m[1]!);
  if (!d.store.find(APPLICATION, undefined, app)) {
    const known = d.store.list(APPLICATION).items.map((a) => a.metadata.name);
    d.onEvent?.(app, 404);
    return json(res, 404, { code: 404, error: `Application ${app} is not registered; registered Applications: ${known.join(', ') || 'none'}. Apply an Application named ${app} first.` });
  }
  const auth = req.headers.authorization;
  const given = typeof auth === 'string' && /^Bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
  if (!tokenMatches(given, inboundToken(d.store, app))) {
    d.onEvent?.(app, 401);
    return json(res, 401, {
      code: 401,
      error: `missing or wrong token: send "Authorization: Bearer <token>" with the token from Secret ${APP_SECRETS_NAMESPACE}/${inboundTokenSecretName(app)} (key "token")`,
    });
  }
  const base = d.publisher();
  if (!base) return json(res, 503, { code: 503, error: 'the eventing module is not running; enable eventing in the cluster profile' });
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && (PASS_HEADERS.includes(k) || k.startsWith(PASS_PREFIX))) headers[k] = v;
  }
  if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
  await new Promise<void>((resolve) => {
    const up = http.request(`${base}${path}`, { method: req.method ?? 'POST', headers }, (r) => {
      d.onEvent?.(app, r.statusCode ?? 502);
      res.writeHead(r.statusCode ?? 502, { ...(r.headers['content-type'] ? { 'content-type': r.headers['content-type'] } : {}) });
      r.pipe(res);
      r.once('end', resolve);
      r.once('error', () => {
        res.destroy();
        resolve();
      });
    });
    up.once('error', (err) => {
      d.log.warn('inbound event forwarding failed', { app, error: err.message });
      if (!res.headersSent) json(res, 502, { code: 502, error: `publisher proxy unreachable: ${err.message}` });
      resolve();
    });
    req.pipe(up);
  });
}
