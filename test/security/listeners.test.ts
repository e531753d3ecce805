/**
 * Every loopback listener refuses what a web page could send it: a foreign Host (DNS rebinding), a cross-site
 * Origin, and — on the publisher — a text/plain body, which browsers send cross-origin without a preflight.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventingModule, type EventingModule } from '../../main/core/embedded/eventing/index.js';
import { createServiceRegistry } from '../../main/core/embedded/services/index.js';
import { createOtlpReceiver, createTelemetry, type OtlpReceiver } from '../../main/core/telemetry/index.js';
import { silentLogger } from '../../main/core/model/index.js';
import { startMeshProxy, type MeshProxy } from '../../main/core/embedded/serverless/mesh-proxy.js';
import { createEnv, type TestEnv } from '../eventing/helpers.js';
import { rawRequest } from '../helpers/raw-http.js';

let env: TestEnv;
let eventing: EventingModule;
let publisher: string;
let otlp: OtlpReceiver;
const telemetry = createTelemetry();
let mesh: MeshProxy;
let upstream: http.Server;
const seen: http.IncomingHttpHeaders[] = [];

const ce = (type: string) => ({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': `id-${Math.random()}`, 'ce-source': 'myapp', 'ce-type': type });
const legacyBody = JSON.stringify({ 'event-type': 'order.created', 'event-type-version': 'v1', 'event-time': '2026-01-01T00:00:00Z', data: { a: 1 } });

beforeAll(async () => {
  env = await createEnv();
  eventing = createEventingModule({ ackWaitMs: 5_000, deliveryTimeoutMs: 2_000 });
  await eventing.start(env.ctx);
  publisher = env.ctx.endpoints.get('publisher')!.replace(/\/publish$/, '');
  otlp = await createOtlpReceiver({ telemetry, browserOrigins: ['http://shop.example.test:3000'] });
  upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    res.end('fn');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const services = createServiceRegistry();
  services.set('orders', 'default', [{ host: '127.0.0.1', port: (upstream.address() as AddressInfo).port }]);
  mesh = await startMeshProxy(services, silentLogger);
});

afterAll(async () => {
  await mesh?.close();
  await new Promise<void>((r) => upstream?.close(() => r()));
  await otlp?.close();
  await eventing?.stop();
  await env?.cleanup();
});

describe('publisher proxy', () => {
  it('refuses a foreign Host and a cross-site page, accepts its own names', async () => {
    const rebinding = await rawRequest(`${publisher}/publish`, { method: 'POST', headers: { ...ce('a.b.v1'), host: 'evil.example' }, body: '{}' });
    expect(rebinding.status).toBe(403);
    expect(rebinding.body).toContain('Host "evil.example" is not a name of this machine; the publisher proxy');
    const crossSite = await rawRequest(`${publisher}/publish`, { method: 'POST', headers: { ...ce('a.b.v1'), origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, body: '{}' });
    expect(crossSite.status).toBe(403);
    for (const host of ['127.0.0.1', 'localhost', 'eventing-publisher-proxy.kyma-system', 'eventing-publisher-proxy.kyma-system.svc.cluster.local']) {
      const ok = await rawRequest(`${publisher}/publish`, { method: 'POST', headers: { ...ce('a.b.v1'), host }, body: '{}' });
      expect(ok.status, host).toBe(204);
    }
  });

  it('refuses text/plain (and other preflight-free types) on the legacy endpoint with 415; JSON still works', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await rawRequest(`${publisher}/myapp/v1/events`, { method: 'POST', headers: { 'content-type': type }, body: legacyBody });
      expect(res.status, type).toBe(415);
      expect(JSON.parse(res.body)).toMatchObject({ status: 415, type: 'unsupported_media_type', message: `Content-Type ${type} is not accepted: send the legacy event as application/json` });
    }
    const ok = await rawRequest(`${publisher}/myapp/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: legacyBody });
    expect(ok.status).toBe(200);
  });

  it('does not take a text/plain body as a CloudEvent on /publish', async () => {
    const res = await rawRequest(`${publisher}/publish`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ specversion: '1.0', id: '1', source: 's', type: 't.v1' }) });
    expect(res.status).toBe(400);
  });
});

describe('OTLP receiver', () => {
  const spans = JSON.stringify({ resourceSpans: [] });

  it('refuses a foreign Host and a cross-site origin that the profile does not allow', async () => {
    const rebinding = await rawRequest(`${otlp.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', host: 'evil.example:4318' }, body: spans });
    expect(rebinding.status).toBe(403);
    expect(rebinding.body).toContain('the OTLP receiver answers only');
    const crossSite = await rawRequest(`${otlp.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: spans });
    expect(crossSite.status).toBe(403);
    const preflight = await rawRequest(`${otlp.url}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
  });

  it('serves browser telemetry from an origin in telemetry.browserOrigins (CORS), and in-cluster names', async () => {
    const origin = 'http://shop.example.test:3000';
    const preflight = await rawRequest(`${otlp.url}/v1/traces`, { method: 'OPTIONS', headers: { origin, 'sec-fetch-site': 'cross-site', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    const post = await rawRequest(`${otlp.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', origin, 'sec-fetch-site': 'cross-site' }, body: spans });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(origin);
    const inCluster = await rawRequest(`${otlp.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', host: 'telemetry-otlp-traces.kyma-system:4318' }, body: spans });
    expect(inCluster.status).toBe(200);
  });
});

describe('service mesh', () => {
  it('routes in-cluster names, refuses foreign Hosts and cross-site pages, strips the dashboard session cookie', async () => {
    const ok = await rawRequest(mesh.url, { headers: { host: 'orders.default.svc.cluster.local', cookie: 'theme=dark; kl_session=abc' } });
    expect(ok.body).toBe('fn');
    expect(seen.at(-1)?.cookie).toBe('theme=dark');
    const short = await rawRequest(mesh.url, { headers: { host: 'orders.default' } });
    expect(short.body).toBe('fn');
    const rebinding = await rawRequest(mesh.url, { headers: { host: 'shop.example' } });
    expect(rebinding.status).toBe(403);
    const crossSite = await rawRequest(mesh.url, { method: 'POST', headers: { host: 'orders.default.svc.cluster.local', origin: 'https://evil.example', 'content-type': 'text/plain' }, body: 'x' });
    expect(crossSite.status).toBe(403);
  });
});
