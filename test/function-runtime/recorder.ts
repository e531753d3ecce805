// A small real HTTP server that records every request (a stand-in for the publisher proxy, an OTLP
// collector or the service mesh) and lets a test wait for a request matching a predicate.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Recorder {
  url: string;
  port: number;
  requests: Recorded[];
  waitFor(pred: (r: Recorded) => boolean): Promise<Recorded>;
  close(): Promise<void>;
}

export async function startRecorder(
  respond: (r: Recorded, res: http.ServerResponse) => void = (_r, res) => void res.writeHead(204).end(),
): Promise<Recorder> {
  const requests: Recorded[] = [];
  const waiters: { pred: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(r);
      respond(r, res);
      for (const w of [...waiters]) {
        if (w.pred(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    waitFor(pred) {
      const seen = requests.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
