// An external system connected end to end on the embedded runtime: it posts an event to its inbound URL →
// Subscription → function → the function calls back through central-application-gateway.kyma-system:8080 with
// the system's OAuth credentials → the system's API. One trace covers all of it.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHome, waitFor, writeFunction, type TestHome } from '../helpers/cli.js';
import { BASIC, CLIENT, startExternalSystem, type ExternalSystem } from '../app-connector/targets.js';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  service: string;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function manifests(sys: ExternalSystem): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: shop-oauth
  namespace: kyma-system
type: Opaque
stringData:
  clientId: ${CLIENT.id}
  clientSecret: ${CLIENT.secret}
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-basic
  namespace: kyma-system
data:
  username: ${b64(BASIC.user)}
  password: ${b64(BASIC.password)}
---
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: shop
  labels:
    application-type: shop
spec:
  description: The shop, connected locally
  services:
    - id: orders-api
      name: orders-api
      displayName: Orders API
      entries:
        - type: API
          name: orders
          targetUrl: ${sys.url}/bearer
          credentials:
            type: OAuth
            secretName: shop-oauth
            authenticationUrl: ${sys.url}/oauth/token
    - id: legacy-api
      name: legacy-api
      displayName: Legacy Basic API
      entries:
        - type: API
          targetUrl: ${sys.url}/basic
          credentials:
            type: Basic
            secretName: shop-basic
    - id: shop-events
      name: shop-events
      displayName: Shop Events
      entries:
        - type: Events
`;
}

describe('application connectivity: external system → inbound event → function → application gateway → external system', () => {
  let home: TestHome;
  let sys: ExternalSystem;
  let inboundUrl: string;
  let token: string;

  beforeAll(async () => {
    sys = await startExternalSystem();
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['telemetry', 'eventing', 'serverless', 'application-connector'] })]);
    const file = join(home.dir, 'shop.yaml');
    await writeFile(file, manifests(sys));
    await home.cli(['apply', '-f', file]);
    const fns = join(home.dir, 'fns');
    // `shipper` reacts to the shop's order events by calling the shop's API through the gateway (OAuth added there).
    await writeFunction(
      join(fns, 'shipper'),
      'name: shipper\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\nsubscriptions:\n  - name: shipper-orders\n    source: shop\n    types:\n      - order.created.v1\n',
      `let last = null;
module.exports = { main: async (event) => {
  if (event.data && event.data.orderId) {
    const r = await fetch('http://central-application-gateway.kyma-system:8080/shop/orders-api/orders/' + event.data.orderId);
    last = { status: r.status, body: await r.json() };
    return last;
  }
  const r = await fetch('http://central-application-gateway.kyma-system:8080/shop/legacy-basic-api/ping?from=fn');
  return { status: r.status, body: await r.json(), last };
} };
`,
    );
    await home.cli(['dev', fns, '--detach']);
    await waitFor(async () => {
      const r = await home.cli(['get', 'subscription', 'shipper-orders', '-o', 'json'], { reject: false });
      return r.exitCode === 0 && (JSON.parse(String(r.stdout)) as { status?: { ready?: boolean } }).status?.ready === true;
    }, 'the subscription to be ready', 45_000);
    const app = JSON.parse(String((await home.cli(['get', 'application', 'shop', '-o', 'json'])).stdout)) as { status: { inbound: { url: string; tokenSecret: string } } };
    inboundUrl = app.status.inbound.url;
    const [ns, secretName] = app.status.inbound.tokenSecret.split('/');
    const s = JSON.parse(String((await home.cli(['get', 'secret', secretName!, '-n', ns!, '-o', 'json'])).stdout)) as { data: { token: string } };
    token = Buffer.from(s.data.token, 'base64').toString('utf8');
  }, 120_000);
  afterAll(async () => {
    await home?.cleanup();
    await sys?.close();
  });

  it('lets function code call the gateway URL; the gateway adds Basic credentials', async () => {
    let out: { status: number; body: { ok: boolean; path: string; query: Record<string, string> } } | undefined;
    await waitFor(async () => {
      const r = await home.cli(['invoke', 'shipper', '--data', '{}'], { reject: false });
      if (r.exitCode !== 0) return false;
      out = JSON.parse(String(r.stdout)) as typeof out;
      return true;
    }, 'shipper to answer', 30_000);
    expect(out).toMatchObject({ status: 200, body: { ok: true, path: '/basic/ping', query: { from: 'fn' } } });
  });

  it('shows the Application with its gateway URLs in `kyma-local get applications`', async () => {
    const table = String((await home.cli(['get', 'applications', '-o', 'wide'])).stdout);
    expect(table).toMatch(/NAME\s+STATE\s+SERVICES\s+GATEWAY\s+INBOUND/);
    expect(table).toMatch(/shop\s+Ready\s+3\s+http:\/\/127\.0\.0\.1:\d+\/shop\s+http:\/\/127\.0\.0\.1:\d+\/shop\/v1\/events/);
  });

  it('refuses inbound events for unknown applications and without the token', async () => {
    const body = JSON.stringify({ 'event-type': 'order.created', 'event-type-version': 'v1', 'event-time': new Date().toISOString(), data: { orderId: 'x' } });
    const unknown = await fetch(inboundUrl.replace('/shop/', '/nope/'), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/nope is not registered; registered Applications: shop/);
    const noToken = await fetch(inboundUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(noToken.status).toBe(401);
    const wrong = await fetch(inboundUrl, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body });
    expect(wrong.status).toBe(401);
  });

  it('carries an event from the external system to the function and the function’s gateway call back to the system, in one trace', async () => {
    const traceId = randomBytes(16).toString('hex');
    const parent = randomBytes(8).toString('hex');
    const orderId = `o-${randomBytes(3).toString('hex')}`;
    const r = await fetch(inboundUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', traceparent: `00-${traceId}-${parent}-01` },
      body: JSON.stringify({ 'event-type': 'order.created', 'event-type-version': 'v1', 'event-time': new Date().toISOString(), data: { orderId } }),
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { 'event-id': string })['event-id']).toMatch(/[0-9a-f-]{36}/);
    await waitFor(() => sys.seen.some((s) => s.url === `/bearer/orders/${orderId}`), 'the function to call the shop back through the gateway', 45_000);
    const call = sys.seen.find((s) => s.url === `/bearer/orders/${orderId}`)!;
    expect(call.headers.authorization).toMatch(/^Bearer tok-\d+$/);
    expect(String(call.headers.traceparent)).toContain(traceId);
    let spans: Span[] = [];
    await waitFor(async () => {
      const t = await home.cli(['trace', traceId, '-o', 'json'], { reject: false });
      if (t.exitCode !== 0) return false;
      spans = (JSON.parse(String(t.stdout)) as { spans: Span[] }).spans;
      return spans.some((s) => s.service === 'kyma-local-application-gateway') && spans.some((s) => s.service === 'shipper');
    }, 'the trace to hold the function and the gateway call', 30_000);
    const gw = spans.find((s) => s.service === 'kyma-local-application-gateway')!;
    expect(gw.name).toBe('gateway GET shop/orders-api');
    const fnServer = spans.find((s) => s.service === 'shipper' && s.kind === 'server')!;
    expect(gw.parentSpanId).toBe(fnServer.spanId);
    expect(spans.some((s) => s.name.startsWith('publish'))).toBe(true);
    expect(String(call.headers.traceparent).split('-')[2]).toBe(gw.spanId);
    // The legacy event's source is the Application's (cleaned) type label.
    const ev = JSON.parse(String((await home.cli(['events', '--type', 'order.created.v1', '-o', 'json'])).stdout)) as Array<{ source: string; traceId?: string }>;
    expect(ev.find((e) => e.traceId === traceId)?.source).toBe('shop');
  });

  it('exports the Applications and their Secrets for a real cluster, with Secret values as placeholders', async () => {
    const yaml = String((await home.cli(['app', 'export', 'shop'])).stdout);
    expect(yaml).toContain('kind: Application');
    expect(yaml).toContain('name: shop-oauth');
    expect(yaml).toContain('clientSecret: <clientSecret of shop-oauth>');
    expect(yaml).not.toContain(CLIENT.secret);
    expect(yaml).not.toContain(b64(BASIC.password));
    expect(yaml).not.toContain('status:');
    expect(yaml.indexOf('kind: Secret')).toBeLessThan(yaml.indexOf('kind: Application'));
    const env = String((await home.cli(['app', 'inbound', 'shop', '-o', 'env'])).stdout);
    expect(env).toBe(`KYMA_APP_EVENTS_URL=${inboundUrl}\nKYMA_APP_TOKEN=${token}`);
  });
});
