import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from './router.js';
import type { IncomingMessage } from 'node:http';
import { cookieRequestAllowed, LoginCodes, registerUiRoutes } from './static-ui.js';

const TOKEN = 'a'.repeat(64);

async function serve(distDir: string, codes = new LoginCodes()): Promise<{ server: Server; base: string }> {
  const router = new Router();
  const publicUi = registerUiRoutes(router, { token: TOKEN, distDir, codes });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      if (await publicUi(req, res, url)) return;
      if (await router.handle(req, res, url)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('dashboard static files and login handover', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const now = { t: 1_000_000 };
  const codes = new LoginCodes(60_000, () => now.t);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kl-ui-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dir, 'assets', 'index-AbCd1234_x.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'index-Zz99Yy88.css'), 'body{}');
    await writeFile(join(dir, 'favicon.svg'), '<svg/>');
    ({ server, base } = await serve(dir, codes));
  });

  afterAll(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves hashed assets with their content type and immutable caching, index.html uncached', async () => {
    const js = await fetch(`${base}/ui/assets/index-AbCd1234_x.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${base}/ui/assets/index-Zz99Yy88.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const svg = await fetch(`${base}/ui/favicon.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
    const index = await fetch(`${base}/ui/`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('falls back to index.html for client-side routes but 404s a missing asset and path traversal', async () => {
    const route = await fetch(`${base}/ui/functions/default/hello`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('id="root"');
    expect((await fetch(`${base}/ui/assets/missing-12345678.js`)).status).toBe(404);
    expect((await fetch(`${base}/ui/..%2F..%2Fetc%2Fpasswd.txt`)).status).toBe(404);
    expect((await fetch(`${base}/ui/%2e%2e/%2e%2e/etc/hosts.txt`)).status).toBe(404);
  });

  it('redirects / to /ui/', async () => {
    const res = await fetch(`${base}/`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/');
  });

  it('exchanges a login code once for an HttpOnly SameSite=Strict cookie and redirects off the code', async () => {
    const issued = (await (await fetch(`${base}/kl/v1/ui/login-code`, { method: 'POST' })).json()) as { code: string; path: string; expiresAt: string };
    expect(issued.code.length).toBeGreaterThanOrEqual(40);
    expect(issued.path).toBe(`/ui/login?code=${issued.code}`);
    const res = await fetch(`${base}${issued.path}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/');
    expect(res.headers.get('set-cookie')).toBe(`kl_token=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
    const again = await fetch(`${base}${issued.path}`, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('kyma-local dashboard');
  });

  it('rejects an expired or unknown code', async () => {
    const { code } = codes.issue();
    now.t += 60_001;
    expect((await fetch(`${base}/ui/login?code=${code}`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base}/ui/login?code=nope`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base}/ui/login`, { redirect: 'manual' })).status).toBe(401);
  });

  it('explains how to build the dashboard when renderer/dist is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'kl-ui-empty-'));
    const other = await serve(join(empty, 'dist'));
    try {
      const res = await fetch(`${other.base}/ui/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:ui');
    } finally {
      other.server.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('cookieRequestAllowed', () => {
  const daemon = 'http://127.0.0.1:7327';
  const req = (method: string, headers: Record<string, string>): IncomingMessage => ({ method, headers }) as unknown as IncomingMessage;

  it('accepts the dashboard itself and requests with an Authorization header', () => {
    expect(cookieRequestAllowed(req('POST', { 'sec-fetch-site': 'same-origin', origin: daemon }), daemon)).toBe(true);
    expect(cookieRequestAllowed(req('POST', { origin: 'http://localhost:7327' }), daemon)).toBe(true);
    expect(cookieRequestAllowed(req('POST', { authorization: 'Bearer x', 'sec-fetch-site': 'cross-site' }), daemon)).toBe(true);
    expect(cookieRequestAllowed(req('GET', { 'sec-fetch-site': 'none' }), daemon)).toBe(true);
  });

  it('refuses cookie requests from another local port or site', () => {
    expect(cookieRequestAllowed(req('POST', { 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:8080' }), daemon)).toBe(false);
    expect(cookieRequestAllowed(req('POST', { origin: 'http://127.0.0.1:8080' }), daemon)).toBe(false);
    expect(cookieRequestAllowed(req('GET', { 'sec-fetch-site': 'cross-site' }), daemon)).toBe(false);
    expect(cookieRequestAllowed(req('POST', { 'sec-fetch-site': 'none' }), daemon)).toBe(false);
    expect(cookieRequestAllowed(req('POST', {}), daemon)).toBe(false);
    expect(cookieRequestAllowed(req('GET', {}), daemon)).toBe(true);
  });
});
