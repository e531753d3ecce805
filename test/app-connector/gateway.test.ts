import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION, SECRET, type KubeObject } from '../../main/core/model/index.js';
import { startConnector, type ConnectorEnv } from './env.js';
import { rawRequest } from '../helpers/raw-http.js';
import { BASIC, CLIENT, secret, startExternalSystem, type ExternalSystem } from './targets.js';

function application(sys: ExternalSystem): Record<string, unknown> {
  const api = (id: string, displayName: string, path: string, credentials?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id,
    name: id,
    displayName,
    entries: [{ type: 'API', name: `${id}-api`, targetUrl: `${sys.url}${path}`, ...(credentials ? { credentials } : {}), ...extra }],
  });
  return {
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop' },
    spec: {
      services: [
        api('basic', 'Basic Orders API', '/basic', { type: 'Basic', secretName: 'shop-basic' }, { requestParametersSecretName: 'shop-params' }),
        api('oauth', 'Orders (OAuth)', '/bearer', { type: 'OAuth', secretName: 'shop-oauth', authenticationUrl: `${sys.url}/oauth/token` }),
        api('csrf', 'CSRF Orders', '/csrf-protected', { type: 'Basic', secretName: 'shop-basic', csrfInfo: { tokenEndpointURL: `${sys.url}/csrf` } }),
        api('fail', 'Failing', '/fail'),
        api('sleep', 'Sleepy', '/sleep'),
        api('redir', 'Redirects', '/redirect-same'),
        api('away', 'Away', '/redirect-away', { type: 'Basic', secretName: 'shop-basic' }),
        api('nosecret', 'No Secret', '/basic', { type: 'Basic', secretName: 'does-not-exist' }),
        { id: 'events', name: 'events', displayName: 'Shop Events', entries: [{ type: 'Events' }] },
      ],
    },
  };
}

function rawGet(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .once('error', reject);
  });
}

describe('the central application gateway against real local HTTP targets', () => {
  let env: ConnectorEnv;
  let sys: ExternalSystem;
  const call = (path: string, init: RequestInit = {}) => fetch(`${env.gateway}${path}`, init);

  beforeAll(async () => {
    sys = await startExternalSystem();
    env = await startConnector({ timeoutMs: 1500 });
    await env.apply(
      secret('shop-basic', { username: BASIC.user, password: BASIC.password }),
      secret('shop-oauth', { clientId: CLIENT.id, clientSecret: CLIENT.secret }),
      secret('shop-params', { headers: '{"X-Tenant":["acme"]}', queryParameters: '{"limit":["50"]}' }),
      application(sys),
    );
  });
  afterAll(async () => {
    await env?.cleanup();
    await sys?.close();
  });

  it('adds Basic credentials and the request-parameters Secret, under the normalized display name', async () => {
    const r = await call('/shop/basic-orders-api/orders/7?x=1');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, path: '/basic/orders/7', query: { x: '1', limit: '50' }, header: 'acme' });
  });

  it('gets one OAuth token for 20 calls, and retries once with a fresh token after a 401', async () => {
    const before = sys.tokenRequests;
    // 10 at once with an empty cache share one token request, then 10 more in turn use the cached token.
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => call(`/shop/orders-oauth/o/${i}`)));
    expect(first.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (let i = 10; i < 20; i++) expect((await call(`/shop/orders-oauth/o/${i}`)).status).toBe(200);
    expect(sys.tokenRequests - before).toBe(1);
    expect(env.module.api.tokenRequests(`${sys.url}/oauth/token`)).toBe(sys.tokenRequests);
    sys.validTokens.clear(); // the system revokes every token: the next call gets 401 once, then a new token
    const seenBefore = sys.seen.length;
    const r = await call('/shop/orders-oauth/after-revoke');
    expect(r.status).toBe(200);
    expect(sys.tokenRequests - before).toBe(2);
    expect(sys.seen.length - seenBefore).toBe(2);
    const last = env.module.api.applications().applications[0]!.recentCalls[0]!;
    expect(last).toMatchObject({ status: 200, retried: true, path: '/bearer/after-revoke' });
  });

  it('refuses foreign Hosts and cross-site browsers (the shared listener guard) and never forwards the dashboard cookie', async () => {
    expect((await rawRequest(`${env.gateway}/shop/basic-orders-api/orders/1`, { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await rawRequest(`${env.gateway}/shop/basic-orders-api/orders/1`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const ok = await rawRequest(`${env.gateway}/shop/basic-orders-api/orders/1`, { headers: { host: 'central-application-gateway.kyma-system:8080', cookie: 'kl_session=s3cr3t; theirs=1' } });
    expect(ok.status).toBe(200);
    expect(sys.seen.at(-1)!.headers.cookie).toBe('theirs=1');
  });

  it('lets an Access-Token header override the registered credentials', async () => {
    sys.validTokens.add('user-token');
    const r = await call('/shop/orders-oauth/mine', { headers: { 'Access-Token': 'Bearer user-token' } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { auth: string }).auth).toBe('Bearer user-token');
    expect(sys.seen.at(-1)!.headers['access-token']).toBeUndefined();
  });

  it('fetches a CSRF token with its cookie, caches it, and refetches once after a CSRF 403', async () => {
    const post = () => call('/shop/csrf-orders/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1}' });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    expect(sys.csrfFetches).toBe(1);
    expect(sys.seen.at(-1)!.headers['x-csrf-token']).toBe('csrf-1');
    expect(sys.seen.at(-1)!.headers.cookie).toContain('session=sess-1');
    sys.validCsrf.clear(); // the session expired on the system's side
    const r = await post();
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ created: true, body: { id: 1 } });
    expect(sys.csrfFetches).toBe(2);
  });

  it('answers 502 with Target-System-Status for a target 5xx, and 504 for a target that does not answer', async () => {
    const failed = await call('/shop/failing/x');
    expect(failed.status).toBe(502);
    expect(failed.headers.get('target-system-status')).toBe('500');
    expect(await failed.json()).toEqual({ error: 'boom' });
    const slow = await call('/shop/sleepy/x');
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { code: number }).code).toBe(504);
  });

  it('answers upstream error codes for bad paths: 400 missing parts, 404 unknown app or service', async () => {
    const missing = await call('/shop');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 400, error: 'path must contain Application and Service name' });
    const unknown = await call('/nope/basic-orders-api/x');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/Application: nope not found\. Registered Applications: shop/);
    const noService = await call('/shop/shop-events/x');
    expect(noService.status).toBe(404);
    // The Compass form (port 8082 in the Host) needs the entry name too.
    // fetch cannot set Host; the mesh passes the function's Host through, so the port there picks the form.
    const compass = (path: string, port = 8082) => rawGet(`${env.gateway}${path}`, `central-application-gateway.kyma-system:${port}`);
    expect((await compass('/shop/basic-orders-api')).status).toBe(400);
    expect((await compass('/shop/basic-orders-api/x')).status).toBe(404);
    const viaEntry = await compass('/shop/basic-orders-api/basic-api/orders');
    expect(viaEntry.status).toBe(200);
    expect(JSON.parse(viaEntry.body)).toMatchObject({ path: '/basic/orders' });
    expect((await compass('/v1/health', 8081)).status).toBe(200);
  });

  it('answers 502 naming a missing credentials Secret, and the condition names it too', async () => {
    const r = await call('/shop/no-secret/x');
    expect(r.status).toBe(502);
    expect(((await r.json()) as { error: string }).error).toContain('kyma-system/does-not-exist');
    const app = env.store.get(APPLICATION, undefined, 'shop');
    const cond = (app.status?.conditions as Array<{ type: string; status: string; message: string }>).find((c) => c.type === 'SecretsFound')!;
    expect(cond.status).toBe('False');
    expect(cond.message).toContain('Secret kyma-system/does-not-exist not found');
    expect(app.status?.state).toBe('Error');
  });

  it('rewrites same-host redirects through the gateway and passes other-host ones untouched, without following them', async () => {
    const same = await call('/shop/redirects/start', { redirect: 'manual' });
    expect(same.status).toBe(302);
    expect(same.headers.get('location')).toBe(`${env.gateway.replace('http://', 'http://')}/shop/redirects/elsewhere?x=1`);
    const before = sys.seen.length;
    const away = await call('/shop/away/start', { redirect: 'manual' });
    expect(away.status).toBe(302);
    expect(away.headers.get('location')).toBe('http://127.0.0.1:9/stolen');
    expect(sys.seen.length - before).toBe(1);
  });

  it('never shows credentials in status, the API view or the call log', async () => {
    const dump = JSON.stringify([env.store.get(APPLICATION, undefined, 'shop').status, env.module.api.applications()]);
    for (const s of [BASIC.password, CLIENT.secret, 'tok-1', 'csrf-1', 'sess-1']) expect(dump).not.toContain(s);
    const view = env.module.api.applications().applications[0]!;
    expect(view.services.find((s) => s.id === 'oauth')!.entries[0]!.credentials).toEqual({ type: 'OAuth', secretName: 'shop-oauth', secret: 'Found', csrf: false });
  });

  it('reports status per entry: cluster and host URLs, and fixes the condition when the Secret appears', async () => {
    const st = env.store.get(APPLICATION, undefined, 'shop').status as { services: Array<{ id: string; entries: Array<{ clusterUrl?: string; served: boolean }> }> };
    expect(st.services.find((s) => s.id === 'basic')!.entries[0]).toMatchObject({
      clusterUrl: 'http://central-application-gateway.kyma-system:8080/shop/basic-orders-api',
      served: true,
    });
    await env.apply(secret('does-not-exist', { username: BASIC.user, password: BASIC.password }));
    const app: KubeObject = env.store.get(APPLICATION, undefined, 'shop');
    expect((app.status?.conditions as Array<{ type: string; status: string }>).find((c) => c.type === 'SecretsFound')!.status).toBe('True');
    expect(app.status?.state).toBe('Ready');
    expect((await call('/shop/no-secret/orders')).status).toBe(200);
  });

  it('accepts OAuthWithCert and CertificateGen with a Warning saying mTLS is not emulated', async () => {
    await env.apply(secret('cert-creds', { clientId: CLIENT.id, clientSecret: CLIENT.secret, crt: 'x', key: 'y' }), {
      apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'certs' },
      spec: { services: [{ id: 'c', name: 'c', displayName: 'Cert API', entries: [{ type: 'API', targetUrl: `${sys.url}/bearer`, credentials: { type: 'OAuthWithCert', secretName: 'cert-creds', authenticationUrl: `${sys.url}/oauth/token` } }] }] },
    });
    const app = env.store.get(APPLICATION, undefined, 'certs');
    expect(app.status?.state).toBe('Warning');
    expect(String(app.status?.description)).toContain('mTLS is not emulated');
    expect((await call('/certs/cert-api/x')).status).toBe(200);
    expect(env.store.find(SECRET, 'kyma-system', 'certs-inbound-token')).toBeDefined();
    await env.store.delete(APPLICATION, undefined, 'certs');
    await env.module.api.settled();
    expect(env.store.find(SECRET, 'kyma-system', 'certs-inbound-token')).toBeUndefined();
  });
});
