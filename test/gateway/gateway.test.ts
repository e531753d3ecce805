// The api-gateway module on a real daemon: APIRules applied with the CLI, requests through the gateway listener to
// real function workers, JWTs from the embedded issuer, from a second issuer (a JWKS served here with jose) and forged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, waitFor, writeFunction, type TestHome } from '../helpers/cli.js';
import { apiRule, apiRuleStatus, applyYaml, viaGateway } from './gateway-helpers.js';

const ECHO = `module.exports = { main: async (event) => {
  const r = event.extensions.request;
  return { path: r.path, method: r.method, headers: r.headers, body: event.data };
} };\n`;
const SLOW = "module.exports = { main: () => new Promise((r) => setTimeout(() => r('late'), 4000)) };\n";

describe('api-gateway: APIRule v2 served on the embedded runtime', () => {
  let home: TestHome;
  let port: number;
  let issuer: string;
  const closers: Array<() => Promise<void>> = [];

  let daemonUrl: string;
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${daemonUrl}${path}`, { headers: { authorization: `Bearer ${apiToken(home)}` } })).json()) as T;
  const logBodies = async (q: string): Promise<string[]> => (await api<{ items: Array<{ body: string }> }>(`/kl/v1/logs?q=${encodeURIComponent(q)}`)).items.map((l) => l.body);
  const token = async (...args: string[]): Promise<string> => String((await home.cli(['token', ...args])).stdout).trim();
  const bearer = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}` });
  const jwtRule = (authentications: unknown[], authorizations?: unknown[]): Record<string, unknown> => ({
    path: '/*',
    methods: ['GET', 'POST'],
    jwt: { authentications, ...(authorizations ? { authorizations } : {}) },
  });
  const local = (): Record<string, string> => ({ issuer, jwksUri: `${issuer}/jwks` });

  async function until(name: string, state: string, host?: string): Promise<void> {
    await waitFor(async () => (await apiRuleStatus(home, daemonUrl, name))?.state === state, `APIRule ${name} to be ${state}`, 30_000);
    if (host) await waitFor(async () => !(await viaGateway(port, host)).text.startsWith('No APIRule serves host'), `${host} to be routed`, 10_000);
  }

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'api-gateway', 'telemetry'] })]);
    const status = await statusJson(home);
    daemonUrl = status.daemon!.url;
    const gw = status.cluster!.components.find((c) => c.name === 'api-gateway')!;
    port = gw.ports!.gateway!;
    issuer = gw.urls!.issuer!;
    const fns = join(home.dir, 'fns');
    await writeFunction(join(fns, 'echo'), 'name: echo\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n', ECHO);
    await writeFunction(join(fns, 'slow'), 'name: slow\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n', SLOW);
    // An APIRule declared in config.yaml the Kyma CLI way (v1beta1-style accessStrategies) → a v2 APIRule.
    await writeFunction(
      join(fns, 'declared'),
      'name: declared\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\napiRules:\n  - name: declared\n    service:\n      host: declared\n    rules:\n      - path: /.*\n        methods: [GET]\n        accessStrategies:\n          - handler: noop\n',
      "module.exports = { main: () => 'declared in config.yaml' };\n",
    );
    await home.cli(['dev', fns, '--detach']);
    for (const fn of ['echo', 'slow', 'declared']) await waitFor(async () => (await home.cli(['invoke', fn], { reject: false, timeout: 10_000 })).exitCode === 0 || fn === 'slow', `${fn} to serve`, 30_000);
  });

  afterAll(async () => {
    for (const c of closers) await c();
    await home?.cleanup();
  });

  it('serves a noAuth rule by Host, with X-Forwarded-* and the rule’s header modifiers, and sets status Ready', async () => {
    await applyYaml(home, apiRule('echo', 'echo', [{ path: '/api/{**}', methods: ['POST'], noAuth: true, request: { headers: { 'x-from-rule': 'yes' } } }], {}, 'echo'));
    await until('echo', 'Ready', 'echo.localhost');
    const r = await viaGateway(port, `echo.localhost:${port}`, '/api/orders/1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as { path: string; headers: Record<string, string>; body: unknown };
    expect(body.path).toBe('/api/orders/1');
    expect(body.body).toEqual({ n: 1 });
    expect(body.headers).toMatchObject({ 'x-forwarded-host': `echo.localhost:${port}`, 'x-forwarded-proto': 'http', 'x-from-rule': 'yes' });
    expect(body.headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // The Kyma domain and the short host reach the same rule; another method or path is not served.
    expect((await viaGateway(port, 'echo.local.kyma.dev', '/api/x', { method: 'POST' })).status).toBe(200);
    expect((await viaGateway(port, 'echo.localhost', '/api/x')).status).toBe(404);
    expect((await viaGateway(port, 'echo.localhost', '/other', { method: 'POST' })).text).toContain('APIRule default/echo has no rule for POST /other');
    expect(await apiRuleStatus(home, daemonUrl, 'echo')).toMatchObject({ state: 'Ready', description: `Served at http://echo.localhost:${port}` });
    // `get apirules` prints the URL and a curl line that needs no DNS.
    const listed = String((await home.cli(['get', 'apirules'])).stdout);
    expect(listed).toMatch(/echo\s+Ready\s+echo/);
    expect(listed).toContain(`curl -H 'Host: echo.localhost' http://127.0.0.1:${port}/`);
  });

  it('answers unknown hosts with 404 naming the known ones, and refuses foreign hosts', async () => {
    const unknown = await viaGateway(port, 'nope.localhost');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('known hosts:');
    expect(unknown.text).toContain('echo.localhost');
    const foreign = await viaGateway(port, 'attacker.example');
    expect(foreign.status).toBe(403);
    expect(foreign.text).not.toContain('echo');
  });

  it('serves an APIRule declared in a function folder’s config.yaml (noop → noAuth)', async () => {
    await until('declared', 'Ready', 'declared.localhost');
    const r = await viaGateway(port, 'declared.localhost', '/anything');
    expect([r.status, r.text]).toEqual([200, 'declared in config.yaml']);
  });

  it('enforces jwt rules like Istio: no token 403, bad tokens 401, scope/audience checked, tokens of a second trusted issuer accepted', async () => {
    // A second issuer with its own keys and JWKS, as an external IdP would be.
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'other-1', alg: 'RS256', use: 'sig' }] };
    const idp = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => idp.close(() => r())));
    const other = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const otherToken = (key: CryptoKey, iss: string, kid: string, claims: Record<string, unknown> = {}): Promise<string> =>
      new SignJWT({ scope: 'orders:read', ...claims }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(iss).setSubject('robot').setAudience('shop').setIssuedAt().setExpirationTime('5m').sign(key);

    await applyYaml(
      home,
      apiRule('secure', 'secure', [jwtRule([local(), { issuer: other, jwksUri: `${other}/jwks` }], [{ requiredScopes: ['orders:read'] }, { audiences: ['admin'] }])], {}, 'echo'),
    );
    await until('secure', 'Ready', 'secure.localhost');
    const call = (headers: Record<string, string> = {}): ReturnType<typeof viaGateway> => viaGateway(port, 'secure.localhost', '/x', { headers });

    const none = await call();
    expect([none.status, none.text]).toEqual([403, 'RBAC: access denied']);
    const garbage = await call(bearer('garbage'));
    expect([garbage.status, garbage.text]).toEqual([401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections']);
    expect(garbage.headers['www-authenticate']).toContain('error="invalid_token"');

    const good = await call(bearer(await token('--scope', 'orders:read')));
    expect(good.status).toBe(200);
    expect((JSON.parse(good.text) as { headers: Record<string, string> }).headers.authorization).toMatch(/^Bearer /);
    // Also from the access_token query parameter (Envoy's default second location).
    expect((await viaGateway(port, 'secure.localhost', `/x?access_token=${await token('--scope', 'orders:read')}`)).status).toBe(200);

    const wrongScope = await call(bearer(await token('--scope', 'orders:write')));
    expect([wrongScope.status, wrongScope.text]).toEqual([403, 'RBAC: access denied']);
    expect((await call(bearer(await token('--audience', 'admin')))).status).toBe(200);
    expect((await call(bearer(await token('--audience', 'someone-else')))).status).toBe(403);

    const shortLived = await token('--scope', 'orders:read', '--ttl', '1s');
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await call(bearer(shortLived));
    expect([expired.status, expired.text]).toEqual([401, 'Jwt is expired']);

    expect((await call(bearer(await otherToken(privateKey, other, 'other-1')))).status).toBe(200);
    // The other issuer rotates: a token with a kid the cached JWKS lacks makes the gateway fetch it again.
    const rotated = await generateKeyPair('RS256');
    jwks.keys.push({ ...(await exportJWK(rotated.publicKey)), kid: 'other-2', alg: 'RS256', use: 'sig' });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(bearer(await otherToken(rotated.privateKey, other, 'other-2')))).status).toBe(200);
    // Our issuer's name and current kid, someone else's key: the signature does not verify.
    const localKid = (JSON.parse(Buffer.from((await token()).split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    const forged = await call(bearer(await otherToken(privateKey, issuer, localKid)));
    expect([forged.status, forged.text]).toEqual([401, 'Jwt verification fails']);
    const untrusted = await call(bearer(await otherToken(privateKey, 'https://untrusted.example', 'other-1')));
    expect([untrusted.status, untrusted.text]).toEqual([401, 'Jwt issuer is not configured']);

    // Rotation: the old key stays in the JWKS, so tokens signed before keep working; new ones use the new key.
    const before = await token('--scope', 'orders:read');
    await home.cli(['token', 'rotate']);
    expect((await call(bearer(before))).status).toBe(200);
    expect((await call(bearer(await token('--scope', 'orders:read')))).status).toBe(200);

    // Every denial is in the access log with its reason.
    await waitFor(async () => (await logBodies('secure.localhost/x 403')).some((b) => b.includes('no JWT in the request')), 'the denial in the access log');
  });

  it('runs an OIDC issuer: discovery, JWKS, client_credentials and password grants, clear refusals', async () => {
    const disco = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(disco).toMatchObject({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token`, grant_types_supported: ['client_credentials', 'password'] });
    const keys = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys.keys.every((k) => k.d === undefined && k.p === undefined)).toBe(true);
    const grant = (form: Record<string, string>, basic?: string): Promise<Response> =>
      fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}) }, body: new URLSearchParams(form).toString() });
    const cc = await grant({ grant_type: 'client_credentials', scope: 'orders:read' }, 'kyma-local-demo:kyma-local-demo-secret');
    const ccBody = (await cc.json()) as { access_token: string; token_type: string; scope: string };
    expect([cc.status, ccBody.token_type, ccBody.scope]).toEqual([200, 'Bearer', 'orders:read']);
    expect((await viaGateway(port, 'secure.localhost', '/x', { headers: bearer(ccBody.access_token) })).status).toBe(200);
    const pw = await grant({ grant_type: 'password', username: 'developer', password: 'developer', client_id: 'kyma-local-demo', client_secret: 'kyma-local-demo-secret', scope: 'orders:read' });
    const claims = JSON.parse(Buffer.from(((await pw.json()) as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, sub: 'developer', scope: 'orders:read', preferred_username: 'developer' });
    const badClient = await grant({ grant_type: 'client_credentials' }, 'kyma-local-demo:wrong');
    expect([badClient.status, ((await badClient.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
    const badUser = await grant({ grant_type: 'password', username: 'developer', password: 'nope', client_id: 'kyma-local-demo', client_secret: 'kyma-local-demo-secret' });
    expect([badUser.status, ((await badUser.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    const badGrant = await grant({ grant_type: 'authorization_code' }, 'kyma-local-demo:kyma-local-demo-secret');
    expect(((await badGrant.json()) as { error_description: string }).error_description).toContain('grant_type must be client_credentials or password');
    const unknownUser = await home.cli(['token', '--user', 'nobody'], { reject: false });
    expect(String(unknownUser.stderr)).toContain('unknown user "nobody"');
  });

  it('fails fast with 401 and a logged reason when a JWKS cannot be fetched', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const { privateKey } = await generateKeyPair('RS256');
    await applyYaml(home, apiRule('deadjwks', 'deadjwks', [jwtRule([{ issuer: dead, jwksUri: `${dead}/jwks` }])], {}, 'echo'));
    await until('deadjwks', 'Ready', 'deadjwks.localhost');
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(dead).setExpirationTime('5m').sign(privateKey);
    const started = Date.now();
    const r = await viaGateway(port, 'deadjwks.localhost', '/', { headers: bearer(t) });
    expect([r.status, r.text]).toEqual([401, 'Jwks remote fetch is failed']);
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(async () => (await logBodies('deadjwks.localhost')).some((b) => b.includes(`JWKS ${dead}/jwks could not be fetched`)), 'the JWKS failure in the logs');
  });

  it('answers CORS preflights per corsPolicy and refuses cross-origin calls the policy does not allow', async () => {
    await applyYaml(
      home,
      apiRule('cors', 'cors', [{ path: '/*', methods: ['GET', 'PUT'], noAuth: true }], {
        corsPolicy: { allowOrigins: [{ exact: 'http://shop.localhost:3000' }, { prefix: 'http://admin.' }], allowMethods: ['GET', 'PUT'], allowHeaders: ['x-custom'], exposeHeaders: ['x-total'], allowCredentials: true, maxAge: 600 },
      }, 'echo'),
    );
    await until('cors', 'Ready', 'cors.localhost');
    const pre = await viaGateway(port, 'cors.localhost', '/items', { method: 'OPTIONS', headers: { origin: 'http://shop.localhost:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-custom' } });
    expect(pre.status).toBe(204);
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': 'http://shop.localhost:3000',
      'access-control-allow-methods': 'GET,PUT',
      'access-control-allow-headers': 'x-custom',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '600',
    });
    expect((await viaGateway(port, 'cors.localhost', '/items', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' } })).status).toBe(403);
    expect((await viaGateway(port, 'cors.localhost', '/items', { method: 'OPTIONS', headers: { origin: 'http://shop.localhost:3000', 'access-control-request-method': 'DELETE' } })).status).toBe(403);
    const actual = await viaGateway(port, 'cors.localhost', '/items', { headers: { origin: 'http://admin.localhost' } });
    expect([actual.status, actual.headers['access-control-allow-origin'], actual.headers['access-control-expose-headers']]).toEqual([200, 'http://admin.localhost', 'x-total']);
    const cross = await viaGateway(port, 'cors.localhost', '/items', { method: 'PUT', headers: { origin: 'http://evil.example' } });
    expect(cross.status).toBe(403);
    // Without a corsPolicy a page of another origin is refused too; the rule's own origin is not cross-origin.
    expect((await viaGateway(port, 'echo.localhost', '/api/x', { method: 'POST', headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await viaGateway(port, 'echo.localhost', '/api/x', { method: 'POST', headers: { origin: 'http://echo.localhost' } })).status).toBe(200);
  });

  it('puts two APIRules claiming the same host and path both in Error, each naming the other', async () => {
    await applyYaml(home, apiRule('dup-a', 'dup', [{ path: '/hello', methods: ['GET'], noAuth: true }], {}, 'echo'));
    await applyYaml(home, apiRule('dup-b', 'dup.local.kyma.dev', [{ path: '/hello', methods: ['GET', 'POST'], noAuth: true }], {}, 'echo'));
    await until('dup-a', 'Error');
    await until('dup-b', 'Error');
    expect((await apiRuleStatus(home, daemonUrl, 'dup-a'))?.description).toContain('APIRule default/dup-b also claims host dup.local.kyma.dev path /hello');
    expect((await apiRuleStatus(home, daemonUrl, 'dup-b'))?.description).toContain('APIRule default/dup-a also claims host dup path /hello');
    expect(String((await home.cli(['get', 'apirules'])).stdout)).toMatch(/dup-a\s+Error/);
    await home.cli(['delete', 'apirule', 'dup-b']);
    await until('dup-a', 'Ready', 'dup.localhost');
  });

  it('warns about a missing target and answers 503; extAuth is a Warning and 403; a slow function hits the timeout with 504', async () => {
    await applyYaml(home, apiRule('ghost', 'ghost', [{ path: '/*', methods: ['GET'], noAuth: true }], {}, 'ghost'));
    await until('ghost', 'Warning', 'ghost.localhost');
    expect((await apiRuleStatus(home, daemonUrl, 'ghost'))?.description).toContain('service default/ghost not found');
    expect(await viaGateway(port, 'ghost.localhost')).toMatchObject({ status: 503, text: 'no healthy upstream' });

    await applyYaml(home, apiRule('ext', 'ext', [{ path: '/*', methods: ['GET'], extAuth: { authorizers: ['oauth2-proxy'] } }], {}, 'echo'));
    await until('ext', 'Warning', 'ext.localhost');
    expect((await apiRuleStatus(home, daemonUrl, 'ext'))?.description).toContain('extAuth is not supported locally, requests are rejected with 403');
    expect((await viaGateway(port, 'ext.localhost')).status).toBe(403);

    await applyYaml(home, apiRule('slow', 'slow', [{ path: '/*', methods: ['GET'], noAuth: true, timeout: 1 }], {}, 'slow'));
    await until('slow', 'Ready', 'slow.localhost');
    const started = Date.now();
    expect(await viaGateway(port, 'slow.localhost')).toMatchObject({ status: 504, text: 'upstream request timeout' });
    expect(Date.now() - started).toBeLessThan(3500);
  });

  it('rejects invalid APIRules at apply with the field path', async () => {
    const r = await home.cli(['apply', '-f', '-'], { input: apiRule('bad', 'bad', [{ path: '/{**}/x', methods: ['GET'], noAuth: true, jwt: { authentications: [] } }]), reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stderr)).toContain('spec.rules[0].path');
    expect(String(r.stderr)).toContain('{**} must be the last segment');
  });

  it('records per-rule metrics', async () => {
    const series = (await api<{ items: Array<{ name: string; labels: Record<string, string> }> }>('/kl/v1/metrics?name=gateway_requests_total')).items;
    expect(series.map((s) => `${s.labels.apirule} ${s.labels.code}`)).toEqual(expect.arrayContaining(['default/secure 200', 'default/secure 403', 'default/secure 401', 'default/echo 200']));
    expect((await api<{ items: unknown[] }>('/kl/v1/metrics?name=gateway_request_duration_ms')).items.length).toBeGreaterThan(0);
  });
});
