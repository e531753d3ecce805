import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../../test/helpers/raw-http.js';
import { cookieValue, createListenerGuard, isLoopbackHostname, withoutDaemonCookie } from './index.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  const guard = createListenerGuard({
    listener: 'test listener',
    hosts: ['shop.example.test'],
    clusterLocalHosts: true,
    allowOrigins: ['https://app.example.test:8443'],
    cors: { methods: ['POST'] },
  });
  server = http.createServer(guard.wrap((_req, res) => res.end('through')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('listener guard: Host allowlist', () => {
  it.each(['127.0.0.1', '127.0.0.1:4318', 'localhost', 'LOCALHOST:80', 'my-app.localhost:3000', '[::1]:80', '127.8.9.1', 'shop.example.test', 'orders.default.svc.cluster.local', 'orders.default.svc'])(
    'passes Host %s',
    async (host) => {
      const res = await rawRequest(base, { headers: { host } });
      expect(res.body).toBe('through');
    },
  );

  it.each(['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', 'orders.default', 'attacker.svc.cluster.local.evil', ''])('refuses Host "%s" with 403 naming it', async (host) => {
    const res = await rawRequest(base, { headers: { host } });
    expect(res.status).toBe(403);
    expect(res.body).toContain(`forbidden: Host "${host}" is not a name of this machine; the test listener answers only 127.0.0.1, localhost`);
  });
});

describe('listener guard: cross-site browser requests', () => {
  it('refuses a foreign Origin, a null Origin and Sec-Fetch-Site: cross-site', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'http://localhost.evil.example' }]) {
      const res = await rawRequest(base, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: 'x' });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body).toMatch(/^forbidden: cross-site browser request from .*; the test listener accepts browser requests only from loopback origins/);
    }
  });

  it('passes loopback origins, same-site pages and clients that send neither header', async () => {
    for (const headers of [{}, { origin: 'http://localhost:5173' }, { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }]) {
      const res = await rawRequest(base, { method: 'POST', headers, body: 'x' });
      expect(res.body, JSON.stringify(headers)).toBe('through');
    }
  });

  it('answers CORS for an allowed origin: preflight 204 and Access-Control-Allow-Origin on the response', async () => {
    const origin = 'https://app.example.test:8443';
    const pre = await rawRequest(base, { method: 'OPTIONS', headers: { origin, 'sec-fetch-site': 'cross-site', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(origin);
    expect(pre.headers['access-control-allow-methods']).toBe('POST');
    expect(pre.headers['access-control-allow-headers']).toBe('content-type');
    const res = await rawRequest(base, { method: 'POST', headers: { origin, 'sec-fetch-site': 'cross-site' }, body: '{}' });
    expect(res.body).toBe('through');
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    const other = await rawRequest(base, { method: 'OPTIONS', headers: { origin: 'https://app.example.test', 'access-control-request-method': 'POST' } });
    expect(other.status).toBe(403);
  });
});

describe('hosts and cookies', () => {
  it('knows loopback names', () => {
    expect(isLoopbackHostname('a.b.localhost')).toBe(true);
    expect(isLoopbackHostname('127.0.0.53')).toBe(true);
    expect(isLoopbackHostname('localhost.example')).toBe(false);
    expect(isLoopbackHostname('128.0.0.1')).toBe(false);
  });

  it('removes the daemon session cookie (and the old token cookie) but keeps the application’s own', () => {
    expect(withoutDaemonCookie({ cookie: 'a=1; kl_session=s3cr3t; b=2; kl_token=old' })).toEqual({ cookie: 'a=1; b=2' });
    expect(withoutDaemonCookie({ cookie: 'kl_session=s3cr3t', accept: '*/*' })).toEqual({ accept: '*/*' });
    const untouched = { cookie: 'x=1' };
    expect(withoutDaemonCookie(untouched)).toBe(untouched);
    expect(cookieValue('a=1; kl_session=abc%3D', 'kl_session')).toBe('abc=');
    expect(cookieValue('a=1; kl_session=%zz', 'kl_session')).toBeUndefined();
  });
});
