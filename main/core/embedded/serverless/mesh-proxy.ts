import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../model/index.js';
import type { ServiceEndpoint, ServiceRegistry } from '../module.js';
import { createListenerGuard, withoutDaemonCookie } from '../../listener-guard/index.js';
import { parseServiceHost } from '../services/index.js';

/** Bodies up to this size are kept while streaming so a request can be retried on another endpoint. */
const RETRY_BODY_LIMIT = 8 * 1024 * 1024;
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** Copy of a request body kept while it streams, for one retry. */
interface BodyCopy {
  chunks: Buffer[];
  size: number;
  overflow: boolean;
}

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

export { withoutDaemonCookie };

export interface MeshProxy {
  port: number;
  url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

/**
 * The local service mesh: routes by Host (`<svc>.<ns>.svc.cluster.local[:80]`, `<svc>.<ns>.svc`, `<svc>.<ns>`)
 * to a ready endpoint of the service registry, round-robin, streaming both ways over a keep-alive agent.
 * A connection that fails before any response byte (a worker just stopped by a hot switch, or crashed) is
 * retried once on the next endpoint; that is what lets a revision switch lose no request. Such a request
 * may have reached the dead worker, so a handler can (rarely) run twice — like a retrying sidecar.
 */
export interface MeshOptions {
  /**
   * Called once per request routed to a registered service, when its response is done: `failed` when the status
   * is ≥ 500 (the mesh's own 502/503 included) or the response did not complete.
   */
  onRequest?: (host: string, ms: number, status: number, failed: boolean) => void;
}

function observe(host: string, res: http.ServerResponse, onRequest: NonNullable<MeshOptions['onRequest']>): void {
  const started = performance.now();
  res.once('close', () => {
    const status = res.headersSent ? res.statusCode : 0;
    try {
      onRequest(host, performance.now() - started, status, status >= 500 || !res.writableFinished);
    } catch {
      // metrics must never break the mesh
    }
  });
}

export async function startMeshProxy(services: ServiceRegistry, log: Logger, opts: MeshOptions = {}): Promise<MeshProxy> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, ep: ServiceEndpoint, body: BodyCopy, attempt: number): void => {
    const upstream = http.request(
      { host: ep.host, port: ep.port, method: req.method, path: req.url, headers: withoutDaemonCookie(endToEnd(req.headers)), agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, endToEnd(up.headers));
        up.pipe(res);
        up.once('error', () => res.destroy());
      },
    );
    let responded = false;
    upstream.once('response', () => (responded = true));
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      const host = req.headers.host ?? '';
      const complete = !body.overflow && req.readableEnded;
      if (!responded && attempt === 0 && RETRYABLE.has(err.code ?? '') && complete) {
        const next = services.pick(host);
        if (next) return forward(req, res, next, body, 1);
      }
      log.warn('mesh request failed', { host, endpoint: `${ep.host}:${ep.port}`, error: err.code ?? err.message });
      if (!responded) send(res, 502, `Service ${host} at ${ep.host}:${ep.port} failed: ${err.code ?? err.message}`);
      else res.destroy();
    });
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (attempt === 0) {
      req.pipe(upstream);
    } else {
      for (const chunk of body.chunks) upstream.write(chunk);
      upstream.end();
    }
  };

  // Workers call each other under in-cluster names; the bare `<svc>.<ns>` shape passes only for a registered
  // service (it looks like a public domain, which a rebinding page could use).
  const guard = createListenerGuard({
    listener: 'service mesh',
    clusterLocalHosts: true,
    hosts: (h) => {
      const s = parseServiceHost(h);
      return s !== undefined && services.names().includes(`${s.name}.${s.namespace}`);
    },
  });
  const server = http.createServer(guard.wrap((req, res) => {
    const host = req.headers.host ?? '';
    const ep = services.pick(host);
    if (ep !== undefined && opts.onRequest) observe(host, res, opts.onRequest);
    if (ep === undefined) {
      return send(res, 502, `Unknown service "${host}": no Function named like that is deployed. Known services: ${services.names().join(', ') || 'none'}. Use the Host <function>.<namespace>.svc.cluster.local`);
    }
    if (ep === null) return send(res, 503, `Service "${host}" has no ready replica (scaled to 0, starting or crash-looping); check the Function's status`);
        const body: BodyCopy = { chunks: [], size: 0, overflow: false };
    req.on('data', (c: Buffer) => {
      body.size += c.length;
      if (body.size > RETRY_BODY_LIMIT) {
        body.overflow = true;
        body.chunks = [];
      } else if (!body.overflow) body.chunks.push(c);
    });
    forward(req, res, ep, body, 0);
  }));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
