import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, type TestHome } from '../helpers/cli.js';
import { statSync } from 'node:fs';
import { join } from 'node:path';

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('daemon API security', () => {
  let home: TestHome;
  let url: string;
  let token: string;
  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile()]);
    url = (await statusJson(home)).daemon!.url;
    token = apiToken(home);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('listens on loopback only', () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('keeps the token file and state dir private to the user', () => {
    expect(statSync(join(home.dir, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(home.dir).mode & 0o077).toBe(0);
  });

  it('answers 401 without the bearer token and with a wrong one', async () => {
    expect((await get(`${url}/apis`, {})).status).toBe(401);
    expect((await get(`${url}/kl/v1/status`, { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('answers 200 with the token', async () => {
    const r = await get(`${url}/kl/v1/status`, { Authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).daemon.pid).toBeGreaterThan(0);
  });

  it('answers 403 to a non-loopback Host or Origin even with the token (DNS rebinding)', async () => {
    const port = new URL(url).port;
    const evilHost = await get(`${url}/kl/v1/status`, { Authorization: `Bearer ${token}`, Host: `evil.example:${port}` });
    expect(evilHost.status).toBe(403);
    expect(evilHost.body).toContain('evil.example');
    const evilOrigin = await get(`${url}/kl/v1/status`, { Authorization: `Bearer ${token}`, Origin: 'http://evil.example' });
    expect(evilOrigin.status).toBe(403);
    const okOrigin = await get(`${url}/kl/v1/status`, { Authorization: `Bearer ${token}`, Origin: `http://localhost:${port}` });
    expect(okOrigin.status).toBe(200);
  });
});
