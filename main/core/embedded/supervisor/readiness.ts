import http from 'node:http';
import net from 'node:net';
import type { ReadinessCheck } from './types.js';

const PROBE_TIMEOUT_MS = 1000;

/** One probe; never throws. */
export async function probe(check: ReadinessCheck): Promise<boolean> {
  switch (check.kind) {
    case 'none':
      return true;
    case 'tcp':
      return probeTcp(check.host ?? '127.0.0.1', check.port);
    case 'http':
      return probeHttp(check.url, check.expectStatus);
    case 'custom':
      return check.check().catch(() => false);
  }
}

function probeTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function probeHttp(url: string, expectStatus?: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: PROBE_TIMEOUT_MS, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(expectStatus === undefined ? code >= 200 && code < 300 : code === expectStatus);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/**
 * Polls until the check passes (true), `cancelled()` turns true or the timeout passes (false).
 * Starts fast (most processes are ready within tens of milliseconds) and backs off to 200 ms.
 */
export async function pollReady(check: ReadinessCheck, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let interval = 20;
  while (!cancelled()) {
    if (await probe(check)) return !cancelled();
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
    interval = Math.min(interval * 2, 200);
  }
  return false;
}
