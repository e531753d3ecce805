import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../model/index.js';
import type { ServiceRegistry } from '../module.js';
import { createServiceForwarder, sendPlain as send } from './service-forwarder.js';
import { createListenerGuard } from '../../listener-guard/index.js';
import { parseServiceHost } from '../services/index.js';

export { withoutDaemonCookie } from './service-forwarder.js';

export interface MeshProxy {
  port: number;
  url: string;
  /** Sent by the daemon's invoke proxy (which checked the API token): lets a cross-site Origin reach the function. */
  trustHeaders: Record<string, string>;
  close(): Promise<void>;
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

const TRUST_HEADER = 'x-kyma-local-mesh-trust';

export async function startMeshProxy(services: ServiceRegistry, log: Logger, opts: MeshOptions = {}): Promise<MeshProxy> {
  const forwarder = createServiceForwarder(services, log);

  // Workers call each other under in-cluster names; the bare `<svc>.<ns>` shape passes only for a registered
  // service (it looks like a public domain, which a rebinding page could use).
  // A secret of this process only: the daemon's invoke proxy (behind the API token) sends it so that the Origin the
  // user put on `kyma-local invoke` reaches the function; a browser page cannot know it.
  const trust = randomBytes(24).toString('base64url');
  const guard = createListenerGuard({
    listener: 'service mesh',
    allowOrigins: (_origin, req) => req.headers[TRUST_HEADER] === trust,
    clusterLocalHosts: true,
    hosts: (h) => {
      const s = parseServiceHost(h);
      return s !== undefined && services.names().includes(`${s.name}.${s.namespace}`);
    },
  });
  const server = http.createServer(guard.wrap((req, res) => {
    delete req.headers[TRUST_HEADER];
    const host = req.headers.host ?? '';
    const outcome = forwarder.forward(req, res, { service: host });
    if (outcome !== 'unknown' && opts.onRequest) observe(host, res, opts.onRequest);
    if (outcome === 'unknown') {
      send(res, 502, `Unknown service "${host}": no Function named like that is deployed. Known services: ${services.names().join(', ') || 'none'}. Use the Host <function>.<namespace>.svc.cluster.local`);
    } else if (outcome === 'unready') {
      send(res, 503, `Service "${host}" has no ready replica (scaled to 0, starting or crash-looping); check the Function's status`);
    }
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
    trustHeaders: { [TRUST_HEADER]: trust },
    close: () =>
      new Promise<void>((resolve) => {
        forwarder.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
