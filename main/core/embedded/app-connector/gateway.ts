// The central application gateway's proxy: resolves `/<app>/<service>/<path>` to an Application's API entry, adds
// its credentials (Basic, OAuth client credentials, CSRF, request parameters from Secrets) and forwards the call,
// with upstream's answers: 400/404 for bad paths, 502 (+ Target-System-Status) for target 5xx and failures,
// 504 for a target that does not answer in time, and one retry with fresh tokens after a 401/403.
import { withoutDaemonCookie } from '../../listener-guard/index.js';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { CallLog } from './call-log.js';
import { CredentialError, mergeCookies, type CredentialCache, type OAuthClient } from './credentials.js';
import { GatewayError, resolveApi, type GatewayMode, type ResolvedApi } from './resolve.js';
import { APP_SECRETS_NAMESPACE, readRequestParameters, readSecret, REQUIRED_KEYS, type MultiMap } from './secrets.js';
import type { GatewayTracing } from './tracing.js';
import { readBody, sendUpstream, UpstreamTimeout } from './upstream.js';

export interface GatewayDeps {
  store: Store;
  log: Logger;
  credentials: CredentialCache;
  calls: CallLog;
  tracing: GatewayTracing;
  /** Upstream's proxyTimeout (10 s by default). */
  timeoutMs: number;
  /** Request bodies are kept for the retry after a 401/403; larger ones are refused with 413. */
  maxBodyBytes: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

function sendError(res: ServerResponse, status: number, message: string, extra: OutgoingHttpHeaders = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...extra });
  res.end(JSON.stringify({ code: status, error: message }) + '\n');
}

/** The mode a request asks for: the port in its Host header says which upstream listener it meant. */
export function modeOf(host: string | undefined, fallback: GatewayMode): GatewayMode | 'external' {
  const port = /:(\d+)$/.exec(host ?? '')?.[1];
  if (port === '8082') return 'compass';
  if (port === '8081') return 'external';
  if (port === '8080') return 'proxy';
  return fallback;
}

function joinPaths(a: string, b: string): string {
  if (!b) return a;
  if (a.endsWith('/') && b.startsWith('/')) return a + b.slice(1);
  if (!a.endsWith('/') && !b.startsWith('/')) return `${a}/${b}`;
  return a + b;
}

function setMulti(target: URLSearchParams | OutgoingHttpHeaders, m: MultiMap): void {
  for (const [k, vs] of Object.entries(m)) {
    if (target instanceof URLSearchParams) {
      target.delete(k);
      for (const v of vs) target.append(k, v);
    } else target[k.toLowerCase()] = vs.length === 1 ? vs[0] : vs;
  }
}

/** The target URL: targetUrl's path + the rest of the gateway path; target query, then the caller's, then the Secret's. */
export function targetUrl(api: ResolvedApi, search: string, query: MultiMap): URL {
  const t = new URL(api.entry.targetUrl!);
  const u = new URL(t.href);
  u.pathname = joinPaths(t.pathname, api.rest);
  const params = new URLSearchParams(t.search);
  for (const [k, v] of new URLSearchParams(search)) params.append(k, v);
  setMulti(params, query);
  u.search = params.toString();
  return u;
}

function forwardedHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  let out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  delete out['access-token'];
  // Browsers send the daemon's session cookie to every 127.0.0.1 port; it must never reach an external system.
  out = withoutDaemonCookie(out);
  out['x-forwarded-host'] = req.headers.host ?? '';
  out['x-forwarded-proto'] = 'http';
  out['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  // Upstream leaves User-Agent empty unless the caller set one.
  if (!('user-agent' in out)) out['user-agent'] = '';
  return out;
}

export interface Auth {
  oauth?: OAuthClient;
  csrfEndpoint?: string;
}

/** Sets Authorization (and the CSRF token) on `headers` for the entry's credentials; throws CredentialError. */
export async function authorize(d: GatewayDeps, api: ResolvedApi, headers: OutgoingHttpHeaders, accessToken: string | undefined): Promise<Auth> {
  const cred = api.entry.credentials;
  const fetchOpts = { timeoutMs: d.timeoutMs, skipVerify: api.skipVerify };
  const auth: Auth = {};
  if (accessToken) headers.authorization = accessToken;
  else if (cred) {
    const secret = readSecret(d.store, cred.secretName);
    if (!secret) throw new CredentialError(`credentials Secret ${APP_SECRETS_NAMESPACE}/${cred.secretName} of ${api.app}/${api.service.name} not found`);
    const missing = (REQUIRED_KEYS[cred.type] ?? []).filter((k) => !secret[k]);
    if (missing.length) throw new CredentialError(`credentials Secret ${APP_SECRETS_NAMESPACE}/${cred.secretName} lacks ${missing.join(', ')} (needed for ${cred.type})`);
    if (cred.type === 'Basic') headers.authorization = `Basic ${Buffer.from(`${secret.username}:${secret.password}`).toString('base64')}`;
    else if (cred.type === 'OAuth' || cred.type === 'OAuthWithCert') {
      // OAuthWithCert asks for the token without the client certificate: mTLS is not emulated (status says so).
      auth.oauth = { clientId: secret.clientId!, clientSecret: secret.clientSecret ?? '', authUrl: cred.authenticationUrl! };
      headers.authorization = `Bearer ${await d.credentials.oauthToken(auth.oauth, fetchOpts)}`;
    }
  }
  const csrf = cred?.csrfInfo?.tokenEndpointURL;
  if (csrf) {
    auth.csrfEndpoint = csrf;
    const t = await d.credentials.csrfToken(csrf, typeof headers.authorization === 'string' ? headers.authorization : undefined, fetchOpts);
    headers['x-csrf-token'] = t.token;
    if (t.cookies.length) headers.cookie = mergeCookies(typeof headers.cookie === 'string' ? headers.cookie : undefined, t.cookies);
  }
  return auth;
}

/** Location of a redirect to the same host under the target's path, pointed back through the gateway (upstream urlRewriter). */
function rewriteLocation(location: string, target: URL, api: ResolvedApi, reqHost: string | undefined): string | undefined {
  let loc: URL;
  try {
    loc = new URL(location, target);
  } catch {
    return undefined;
  }
  const base = new URL(api.entry.targetUrl!);
  if ((loc.protocol !== 'http:' && loc.protocol !== 'https:') || loc.hostname !== base.hostname || !loc.pathname.startsWith(base.pathname)) return undefined;
  const stripped = loc.pathname.slice(base.pathname.length).replace(/^\//, '');
  return `http://${reqHost ?? ''}/${api.prefix}${stripped ? `/${stripped}` : ''}${loc.search}${loc.hash}`;
}

function responseHeaders(h: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'content-length') out[k] = v;
  if (h['content-length'] !== undefined) out['content-length'] = h['content-length'];
  return out;
}

/** Handles one proxy request (the 8080 and 8082 forms); `fallback` is the mode when the Host names no port. */
export async function handleProxy(d: GatewayDeps, req: IncomingMessage, res: ServerResponse, fallback: GatewayMode): Promise<void> {
  const started = performance.now();
  const mode = modeOf(req.headers.host, fallback);
  const reqUrl = new URL(req.url ?? '/', 'http://gateway');
  if (mode === 'external') {
    if (reqUrl.pathname === '/v1/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
    return sendError(res, 404, `the external API on :8081 serves only /v1/health; call APIs on :8080/<app>/<service>/<path>`);
  }
  let api: ResolvedApi;
  try {
    api = resolveApi(d.store, mode, reqUrl.pathname);
  } catch (err) {
    if (err instanceof GatewayError) return sendError(res, err.status, err.message);
    throw err;
  }
  const target0 = new URL(api.entry.targetUrl!);
  const span = d.tracing.start(`gateway ${req.method ?? 'GET'} ${api.app}/${api.service.name}`, req.headers, {
    'http.request.method': req.method ?? 'GET',
    'server.address': target0.host,
    'kyma.application': api.app,
    'kyma.application.service': api.service.name,
  });
  const record = (status: number, extra: { targetStatus?: number; retried?: boolean; error?: string; path?: string }): void => {
    span.end(status, extra.error);
    d.calls.add({
      time: new Date().toISOString(),
      app: api.app,
      service: api.service.displayName || api.service.name,
      method: req.method ?? 'GET',
      path: extra.path ?? `/${api.rest}`,
      status,
      ...(extra.targetStatus !== undefined ? { targetStatus: extra.targetStatus } : {}),
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      retried: extra.retried ?? false,
      ...(extra.error ? { error: extra.error } : {}),
      ...(span.traceId ? { traceId: span.traceId } : {}),
      targetHost: target0.host,
    });
  };

  let body: Buffer;
  try {
    body = await readBody(req, d.maxBodyBytes);
  } catch {
    record(413, { error: 'request body too large' });
    return sendError(res, 413, `request body larger than ${d.maxBodyBytes} bytes`);
  }
  const accessToken = typeof req.headers['access-token'] === 'string' ? req.headers['access-token'] : undefined;
  let retried = false;
  for (;;) {
    let url: URL;
    const headers = { ...forwardedHeaders(req), ...span.headers };
    let auth: Auth;
    try {
      const params = api.entry.requestParametersSecretName ? readRequestParameters(d.store, api.entry.requestParametersSecretName) : { headers: {}, queryParameters: {} };
      url = targetUrl(api, reqUrl.search, params.queryParameters);
      setMulti(headers, params.headers);
      auth = await authorize(d, api, headers, accessToken);
    } catch (err) {
      const msg = (err as Error).message;
      d.log.warn('application gateway: credentials failed', { app: api.app, service: api.service.name, error: msg });
      record(502, { error: msg, retried });
      return sendError(res, 502, msg);
    }
    let up;
    try {
      up = await sendUpstream({ url, method: req.method ?? 'GET', headers, ...(body.length ? { body } : {}), timeoutMs: d.timeoutMs, skipVerify: api.skipVerify });
    } catch (err) {
      const timeout = err instanceof UpstreamTimeout;
      const msg = timeout ? (err as Error).message : `failed to call ${url.host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      record(timeout ? 504 : 502, { error: msg, retried });
      return sendError(res, timeout ? 504 : 502, msg);
    }
    const status = up.statusCode ?? 502;
    if ((status === 401 || status === 403) && !retried) {
      // Tokens may have been revoked or expired early: drop them and try once more (upstream's unauthorized retrier).
      up.resume();
      if (auth.oauth) d.credentials.invalidateOAuth(auth.oauth);
      if (auth.csrfEndpoint) d.credentials.invalidateCsrf(auth.csrfEndpoint);
      retried = true;
      continue;
    }
    const out = responseHeaders(up.headers);
    let sent = status;
    if (status >= 500 && status < 600) {
      out['target-system-status'] = String(status);
      sent = 502;
    }
    if (((status >= 300 && status < 400) || status === 201) && typeof up.headers.location === 'string') {
      const loc = rewriteLocation(up.headers.location, url, api, req.headers.host);
      if (loc) out.location = loc;
    }
    res.writeHead(sent, up.statusMessage && sent === status ? up.statusMessage : undefined, out);
    up.pipe(res);
    up.once('error', () => res.destroy());
    record(sent, { ...(sent !== status || retried ? { targetStatus: status } : {}), retried, path: url.pathname });
    return;
  }
}

export { sendError as sendGatewayError };
