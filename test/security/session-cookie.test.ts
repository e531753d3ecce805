/** The dashboard's cookie is a revocable session id, and no listener that forwards to user code passes it on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, type TestHome } from '../helpers/cli.js';
import { rawRequest } from '../helpers/raw-http.js';

let home: TestHome;
let base: string;
let token: string;

async function signIn(): Promise<string> {
  const issued = JSON.parse((await rawRequest(`${base}/kl/v1/ui/login-code`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).body) as { path: string };
  const res = await rawRequest(`${base}${issued.path}`);
  expect(res.status).toBe(303);
  const cookie = String(res.headers['set-cookie']);
  return /kl_session=([^;]+)/.exec(cookie)![1]!;
}

beforeAll(async () => {
  home = await createTestHome();
  await home.cli(['up', '--profile', await home.profile()]);
  base = (await statusJson(home)).daemon!.url;
  token = apiToken(home);
});
afterAll(async () => {
  await home?.cleanup();
});

describe('dashboard session cookie', () => {
  it('carries a session id that authenticates the dashboard, is not the token, and is no bearer token', async () => {
    const id = await signIn();
    expect(id).not.toBe(token);
    const same = { cookie: `kl_session=${id}`, 'sec-fetch-site': 'same-origin' };
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: same })).status).toBe(200);
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: { authorization: `Bearer ${id}` } })).status).toBe(401);
    // The token itself in the cookie no longer signs anyone in (the old scheme).
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: { cookie: `kl_session=${token}`, 'sec-fetch-site': 'same-origin' } })).status).toBe(401);
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: { cookie: `kl_token=${token}`, 'sec-fetch-site': 'same-origin' } })).status).toBe(401);
    // A malformed cookie is a 401, not a 500.
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: { cookie: 'kl_session=%zz' } })).status).toBe(401);
  });

  it('is revocable: logout ends one session, DELETE /kl/v1/ui/sessions ends all', async () => {
    const a = await signIn();
    const b = await signIn();
    const out = await rawRequest(`${base}/kl/v1/ui/logout`, { method: 'POST', headers: { cookie: `kl_session=${a}`, 'sec-fetch-site': 'same-origin' } });
    expect(out.status).toBe(200);
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: { cookie: `kl_session=${a}`, 'sec-fetch-site': 'same-origin' } })).status).toBe(401);
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: { cookie: `kl_session=${b}`, 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    const all = await rawRequest(`${base}/kl/v1/ui/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(all.body).ended).toBeGreaterThanOrEqual(1);
    expect((await rawRequest(`${base}/kl/v1/status`, { headers: { cookie: `kl_session=${b}`, 'sec-fetch-site': 'same-origin' } })).status).toBe(401);
  });
});
