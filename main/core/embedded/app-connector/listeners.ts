import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createListenerGuard } from '../../listener-guard/index.js';

/** Besides loopback names, the connector answers to the gateway's in-cluster names (reached via the mesh). */
const GATEWAY_HOST = /^central-application-gateway\.kyma-system(\.svc(\.cluster\.local)?)?$/;

/**
 * A loopback listener that refuses foreign Host headers (DNS rebinding) and cross-site browser requests, then hands
 * the request to `handle`; a handler's failure answers 500 instead of crashing the daemon.
 */
export async function listen(
  port: number,
  name: string,
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
): Promise<{ server: http.Server; port: number; url: string }> {
  const guard = createListenerGuard({ listener: name, hosts: (h) => GATEWAY_HOST.test(h) });
  const server = http.createServer(
    guard.wrap((req, res) => {
      handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 500, error: String(err) }) + '\n');
        else res.destroy();
      });
    }),
  );
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code === 'EADDRINUSE' ? `${name} port ${port} is in use` : err.message)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const p = (server.address() as AddressInfo).port;
  return { server, port: p, url: `http://127.0.0.1:${p}` };
}

export function close(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}
