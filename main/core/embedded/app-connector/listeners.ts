import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Host names the connector's listeners answer to: loopback and the gateway's in-cluster names (via the mesh). */
const ALLOWED_HOST = /^(127\.0\.0\.1|localhost|\[::1\]|central-application-gateway\.kyma-system(\.svc(\.cluster\.local)?)?)(:\d+)?$/i;

/**
 * A loopback listener that refuses foreign Host headers (DNS rebinding) and cross-site browser requests, then hands
 * the request to `handle`; a handler's failure answers 500 instead of crashing the daemon.
 */
export async function listen(
  port: number,
  name: string,
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
): Promise<{ server: http.Server; port: number; url: string }> {
  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!ALLOWED_HOST.test(host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end(`${name} answers only to loopback and central-application-gateway.kyma-system hosts, not ${host}\n`);
      return;
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`${name} refuses cross-site browser requests\n`);
      return;
    }
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 500, error: String(err) }) + '\n');
      else res.destroy();
    });
  });
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
