import http from 'node:http';
import type { Logger } from '../../model/index.js';
import { withoutDaemonCookie } from '../../listener-guard/index.js';
import { endpointConnect, endpointLabel, type ServiceEndpoint, type ServiceRegistry } from '../module.js';

/** Bodies up to this size are kept while streaming so a request can be retried on another endpoint. */
const RETRY_BODY_LIMIT = 8 * 1024 * 1024;
// ENOENT: a worker's socket file is gone (the worker just stopped).
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** Copy of a request body kept while it streams, for one retry. */
interface BodyCopy {
  chunks: Buffer[];
  size: number;
  overflow: boolean;
}

export function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** Strips the dashboard's session cookie (and the old token cookie): see listener-guard. */
export { withoutDaemonCookie };

export interface ForwardOptions {
  /** The service to reach, in one of the registry's shapes (`<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>`). */
  service: string;
  /** Headers sent upstream; default: the request's end-to-end headers. The daemon's cookie is always removed. */
  headers?: http.OutgoingHttpHeaders;
  /** Set on the answer over what the service sent (e.g. the gateway's CORS headers win, as Envoy's filter does). */
  responseHeaders?: Record<string, string>;
  /** Path and query sent upstream; default: the request's. */
  path?: string;
  /** No response headers within this time → `onTimeout` (default: 504 `upstream request timeout`). 0 = none. */
  timeoutMs?: number;
  onTimeout?: () => void;
  /** Called once the upstream connection failed and the request was answered 502 (logging, metrics). */
  onError?: (code: string) => void;
}

/** `unknown`: no such service (like NXDOMAIN); `unready`: a service without a ready endpoint; else forwarded. */
export type ForwardOutcome = 'forwarded' | 'unknown' | 'unready';

/**
 * Sends one request to a ready endpoint of a service (round-robin through the registry) and streams the answer
 * back. This is the only way other parts reach a function's replicas: how an endpoint is reached (a Unix domain
 * socket for workers) stays inside serverless. A connection that fails before any response byte is retried once on the next
 * endpoint (a worker just stopped by a hot switch); such a request may have reached the dead worker, so a handler
 * can (rarely) run twice — like a retrying sidecar.
 */
export interface ServiceForwarder {
  forward(req: http.IncomingMessage, res: http.ServerResponse, opts: ForwardOptions): ForwardOutcome;
  close(): void;
}

function send(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

export function createServiceForwarder(services: ServiceRegistry, log: Logger): ServiceForwarder {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });

  const attempt = (req: http.IncomingMessage, res: http.ServerResponse, ep: ServiceEndpoint, body: BodyCopy, n: number, opts: ForwardOptions): void => {
    const headers = withoutDaemonCookie(opts.headers ?? endToEnd(req.headers));
    const upstream = http.request({ ...endpointConnect(ep), method: req.method, path: opts.path ?? req.url, headers, agent }, (up) => {
      if (timer) clearTimeout(timer);
      const headers = endToEnd(up.headers);
      if (opts.responseHeaders) Object.assign(headers, opts.responseHeaders);
      res.writeHead(up.statusCode ?? 502, up.statusMessage, headers);
      up.pipe(res);
      up.once('error', () => res.destroy());
    });
    let responded = false;
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) {
      timer = setTimeout(() => {
        upstream.destroy();
        if (opts.onTimeout) opts.onTimeout();
        else send(res, 504, 'upstream request timeout');
      }, opts.timeoutMs);
    }
    upstream.once('response', () => (responded = true));
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      if (res.writableEnded) return;
      const complete = !body.overflow && req.readableEnded;
      if (!responded && n === 0 && RETRYABLE.has(err.code ?? '') && complete) {
        const next = services.pick(opts.service);
        if (next) return attempt(req, res, next, body, 1, opts);
      }
      const code = err.code ?? err.message;
      log.warn('service request failed', { service: opts.service, endpoint: endpointLabel(ep), error: code });
      opts.onError?.(code);
      if (!responded) send(res, 502, `Service ${opts.service} at ${endpointLabel(ep)} failed: ${code}`);
      else res.destroy();
    });
    res.once('close', () => {
      if (timer) clearTimeout(timer);
      if (!res.writableFinished) upstream.destroy();
    });
    if (n === 0) {
      req.pipe(upstream);
    } else {
      for (const chunk of body.chunks) upstream.write(chunk);
      upstream.end();
    }
  };

  return {
    forward(req, res, opts) {
      const ep = services.pick(opts.service);
      if (ep === undefined) return 'unknown';
      if (ep === null) return 'unready';
      const body: BodyCopy = { chunks: [], size: 0, overflow: false };
      req.on('data', (c: Buffer) => {
        body.size += c.length;
        if (body.size > RETRY_BODY_LIMIT) {
          body.overflow = true;
          body.chunks = [];
        } else if (!body.overflow) body.chunks.push(c);
      });
      attempt(req, res, ep, body, 0, opts);
      return 'forwarded';
    },
    close() {
      agent.destroy();
    },
  };
}

export { send as sendPlain };
