// The gateway's request path: Host → APIRule, CORS, path+method → rule, access strategy, then the function through
// the service forwarder, with X-Forwarded-*, the rule's header/cookie modifiers, a timeout (504), a body limit
// (413) and a server span that is the root of the trace (or joins the caller's).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type TextMapGetter, type TextMapSetter, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Logger } from '../../model/index.js';
import type { ServiceForwarder } from '../serverless/index.js';
import { answerPreflight, corsResponseHeaders, isPreflight, originAllowed, preflightMethodAllowed, sameOrigin } from './cors.js';
import { isLocalName, isLoopbackHost, normalizeHost, wildcardCandidates } from './hosts.js';
import { JwtVerifier, RBAC_DENIED } from './jwt-check.js';
import { findRoute, findRule, type CompiledRule, type Route, type RouteTable } from './route-table.js';

export interface AccessRecord {
  method: string;
  host: string;
  path: string;
  status: number;
  durationMs: number;
  /** `ns/name` of the APIRule, when one matched. */
  apirule?: string;
  rule?: number;
  service?: string;
  /** Why the gateway itself answered (denied, no route, timeout…). */
  reason?: string;
  traceId?: string;
  spanId?: string;
}

export interface GatewayDeps {
  table(): RouteTable;
  forwarder: ServiceForwarder;
  jwt: JwtVerifier;
  log: Logger;
  tracer?: Tracer;
  bodyLimitBytes: number;
  /** Requests for `/oidc/...` on a loopback Host; true when answered. */
  issuer?(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean;
  onAccess(rec: AccessRecord): void;
  onServiceRequest?(serviceHost: string, ms: number, status: number, failed: boolean): void;
}

const w3c = new W3CTraceContextPropagator();
const getter: TextMapGetter<http.IncomingHttpHeaders> = {
  keys: (c) => Object.keys(c),
  get: (c, k) => c[k],
};
const setter: TextMapSetter<Record<string, string>> = { set: (c, k, v) => (c[k] = v) };
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'traceparent', 'tracestate']);

function plain(res: http.ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra });
  res.end(body);
}

function knownHosts(table: RouteTable, port: string): string {
  const hosts = table.routes.filter((r) => r.state !== 'Error').map((r) => (r.pattern.kind === 'exact' && r.pattern.key.startsWith('label:') ? `${r.pattern.key.slice(6)}.localhost${port}` : r.host));
  return hosts.length > 0 ? hosts.join(', ') : 'none (apply an APIRule)';
}

function withCookies(existing: string | undefined, add: Record<string, string>): string {
  const jar = new Map<string, string>();
  for (const part of (existing ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) jar.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  for (const [k, v] of Object.entries(add)) jar.set(k, v);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function upstreamHeaders(req: http.IncomingMessage, rule: CompiledRule, trace: Record<string, string>, requestId: string): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  const remote = req.socket.remoteAddress ?? '127.0.0.1';
  const xff = req.headers['x-forwarded-for'];
  out['x-forwarded-for'] = xff ? `${String(xff)}, ${remote}` : remote;
  out['x-forwarded-proto'] = 'http';
  out['x-forwarded-host'] = req.headers.host ?? '';
  out['x-request-id'] = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : requestId;
  for (const [k, v] of Object.entries(rule.requestHeaders)) out[k.toLowerCase()] = v;
  if (Object.keys(rule.requestCookies).length > 0) out.cookie = withCookies(typeof req.headers.cookie === 'string' ? req.headers.cookie : undefined, rule.requestCookies);
  Object.assign(out, trace);
  return out;
}

export function createGatewayHandler(d: GatewayDeps): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const hostHeader = req.headers.host ?? '';
    const host = normalizeHost(hostHeader);
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const rec: AccessRecord = { method, host, path: url.pathname, status: 0, durationMs: 0 };
    let span: Span | undefined;
    res.once('close', () => {
      rec.status = res.headersSent ? res.statusCode : 0;
      rec.durationMs = performance.now() - started;
      if (span) {
        span.setAttribute('http.status_code', rec.status);
        if (rec.status >= 500 || rec.status === 0) span.setStatus({ code: SpanStatusCode.ERROR, ...(rec.reason ? { message: rec.reason } : {}) });
        span.end();
      }
      try {
        d.onAccess(rec);
      } catch {
        // the access log must never fail a request
      }
    });
    const deny = (status: number, body: string, reason: string, extra: Record<string, string> = {}): void => {
      rec.reason = reason;
      plain(res, status, body, extra);
    };

    if (isLoopbackHost(host)) {
      if (d.issuer?.(req, res, url.pathname)) return;
      const port = hostHeader.includes(':') ? hostHeader.slice(hostHeader.lastIndexOf(':')) : '';
      return deny(404, `This is the Kyma Local API gateway. Call an APIRule by its host, e.g. http://<host>.localhost${port}/ or curl -H 'Host: <host>.localhost' http://${hostHeader}/ — known hosts: ${knownHosts(d.table(), port)}\n`, 'no APIRule host');
    }
    const table = d.table();
    const route = findRoute(table, host, wildcardCandidates(host));
    if (!route) {
      if (!isLocalName(host) && !table.routes.some((r) => r.host === host)) return deny(403, `Host ${host} is not served by the local gateway (it answers *.localhost, *.local.kyma.dev and the hosts of APIRules)\n`, 'foreign host');
      const port = hostHeader.includes(':') ? hostHeader.slice(hostHeader.lastIndexOf(':')) : '';
      return deny(404, `No APIRule serves host ${host} — known hosts: ${knownHosts(table, port)}\n`, 'unknown host');
    }
    rec.apirule = `${route.namespace}/${route.name}`;
    serve(d, req, res, route, url, method, rec, deny, (s) => (span = s));
  };
}

function serve(
  d: GatewayDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: Route,
  url: URL,
  method: string,
  rec: AccessRecord,
  deny: (status: number, body: string, reason: string, extra?: Record<string, string>) => void,
  setSpan: (s: Span) => void,
): void {
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  if (isPreflight(req)) {
    if (route.cors && origin && originAllowed(route.cors, origin) && preflightMethodAllowed(route.cors, req)) return answerPreflight(res, route.cors, origin, req);
    return deny(403, `CORS preflight refused: origin ${origin} or method ${String(req.headers['access-control-request-method'])} is not allowed by APIRule ${rec.apirule}'s corsPolicy\n`, 'CORS preflight refused');
  }
  if (origin && origin !== 'null' && !sameOrigin(origin, req.headers.host ?? '')) {
    // Browsers would hide the answer from the page anyway; refusing also keeps a foreign page from triggering the function.
    if (!originAllowed(route.cors, origin)) return deny(403, `Cross-origin request from ${origin} refused: add it to APIRule ${rec.apirule}'s corsPolicy.allowOrigins\n`, 'cross-origin request refused');
  }
  const cors = route.cors && origin && originAllowed(route.cors, origin) ? corsResponseHeaders(route.cors, origin) : undefined;
  const rule = findRule(route, url.pathname, method);
  if (!rule) {
    const paths = route.rules.map((r) => `${r.methods.join(',') || '*'} ${r.path}`).join('; ');
    return deny(404, `APIRule ${rec.apirule} has no rule for ${method} ${url.pathname} (rules: ${paths})\n`, 'no matching rule');
  }
  rec.rule = rule.index;
  rec.service = `${rule.service.namespace}/${rule.service.name}`;
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > d.bodyLimitBytes) return deny(413, `Payload Too Large: ${length} bytes, the limit is ${d.bodyLimitBytes}\n`, 'body too large');

  const proceed = (): void => {
    const parent: Context = w3c.extract(ROOT_CONTEXT, req.headers, getter);
    const traceHeaders: Record<string, string> = {};
    if (d.tracer) {
      const span = d.tracer.startSpan(`${method} ${route.host}${rule.path}`, { kind: SpanKind.SERVER, attributes: { 'http.method': method, 'http.host': req.headers.host ?? '', 'http.target': req.url ?? '/', apirule: rec.apirule ?? '', 'apirule.rule': rule.index, 'apirule.service': rec.service ?? '' } }, parent);
      setSpan(span);
      const sc = span.spanContext();
      rec.traceId = sc.traceId;
      rec.spanId = sc.spanId;
      w3c.inject(trace.setSpan(ROOT_CONTEXT, span), traceHeaders, setter);
    } else {
      w3c.inject(parent, traceHeaders, setter);
    }
    let seen = 0;
    req.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen > d.bodyLimitBytes) {
        rec.reason = 'body too large';
        plain(res, 413, `Payload Too Large: the limit is ${d.bodyLimitBytes} bytes\n`);
        req.destroy();
      }
    });
    const started = performance.now();
    const outcome = d.forwarder.forward(req, res, {
      service: rule.serviceHost,
      headers: upstreamHeaders(req, rule, traceHeaders, randomUUID()),
      timeoutMs: rule.timeoutMs,
      ...(cors ? { responseHeaders: cors } : {}),
      onTimeout: () => {
        rec.reason = `no answer within ${rule.timeoutMs / 1000} s (timeout)`;
        plain(res, 504, 'upstream request timeout');
      },
      onError: (code) => (rec.reason = `upstream failed: ${code}`),
    });
    if (outcome !== 'forwarded') {
      rec.reason = outcome === 'unknown' ? `service ${rec.service} not found` : `service ${rec.service} has no ready replica`;
      plain(res, 503, 'no healthy upstream');
      return;
    }
    if (d.onServiceRequest) {
      res.once('close', () => {
        const status = res.headersSent ? res.statusCode : 0;
        d.onServiceRequest?.(rule.serviceHost, performance.now() - started, status, status >= 500 || !res.writableFinished);
      });
    }
  };

  if (rule.auth.kind === 'noAuth') return proceed();
  if (rule.auth.kind === 'extAuth') return deny(403, RBAC_DENIED, 'extAuth is not supported locally');
  d.jwt.check(req, url, rule.auth.authentications, rule.auth.authorizations, rec.apirule ?? '').then(
    (r) => {
      if (r.ok) return proceed();
      const extra: Record<string, string> = r.status === 401 ? { 'www-authenticate': `Bearer realm="http://${req.headers.host ?? ''}${url.pathname}", error="invalid_token"` } : {};
      deny(r.status, r.body, r.reason, extra);
    },
    (err: unknown) => deny(500, 'internal error while checking the JWT\n', (err as Error).message),
  );
}
