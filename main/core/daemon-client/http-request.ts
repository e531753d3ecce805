import { request } from 'node:http';

export interface PlainResponse {
  status: number;
  text: string;
}

/**
 * One request to the daemon over node:http, body read as text. The CLI's common calls use this rather than
 * fetch: fetch loads undici, which costs a short-lived command more start time and memory than the call itself.
 */
export function httpRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    // Without a timeout of our own, 0 turns off the socket timeout that Node 20's keep-alive global agent sets
    // (5 s), which otherwise cuts any slower answer (e.g. `up --dry-run` loading the kind runtime on a busy machine).
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, timeout: init.timeoutMs ?? 0 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // Only a caller's own limit ends a request: the global agent's idle-socket timeout (5 s) also emits 'timeout',
    // and long calls (starting a debug session, rollback) take longer than that.
    if (init.timeoutMs) {
      const limit = init.timeoutMs;
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer from ${url} within ${limit} ms`), { code: 'ETIMEDOUT' })));
    }
    req.on('error', reject);
    req.end(init.body);
  });
}
