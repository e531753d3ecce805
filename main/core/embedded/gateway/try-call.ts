// The dashboard's "try it": one request through the gateway listener with the rule's Host (a browser cannot set
// Host), with or without a token, answered with status, timing and the first 64 KiB of the body.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { TryAnswer, TryRequest } from '../../api/index.js';

const MAX_BODY = 64 * 1024;
const TIMEOUT_MS = 30_000;

export function tryCall(port: number, hostHeader: string, r: TryRequest): Promise<TryAnswer> {
  const traceId = randomBytes(16).toString('hex');
  const headers: Record<string, string> = { host: hostHeader, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  if (r.body !== undefined && r.body !== '') headers['content-type'] = 'application/json';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path.startsWith('/') ? r.path : `/${r.path}`, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (c: Buffer) => {
        if (size + c.length > MAX_BODY) {
          truncated = true;
          chunks.push(c.subarray(0, MAX_BODY - size));
          size = MAX_BODY;
        } else {
          chunks.push(c);
          size += c.length;
        }
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, durationMs: Math.round((performance.now() - started) * 10) / 10, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), truncated, traceId }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(r.body);
  });
}
