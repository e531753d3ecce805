// The acceptance flow through the gateway: HTTP → gateway (APIRule) → orders → emitCloudEvent → mailer is one trace,
// and the gateway's server span is its root.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, deployOrderFlow, statusJson, waitFor, type TestHome } from '../helpers/cli.js';
import { apiRule, applyYaml, viaGateway } from '../gateway/gateway-helpers.js';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  service: string;
}

describe('one trace from the gateway: HTTP → gateway → orders → event → mailer', () => {
  let home: TestHome;
  let port: number;
  let daemonUrl: string;

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'eventing', 'api-gateway', 'telemetry'] })]);
    const status = await statusJson(home);
    daemonUrl = status.daemon!.url;
    port = status.cluster!.components.find((c) => c.name === 'api-gateway')!.ports!.gateway!;
    await deployOrderFlow(home, join(home.dir, 'fns'), "module.exports = { main: async (event) => 'mailed ' + (event.data && event.data.id) };\n");
    await applyYaml(home, apiRule('orders', 'orders', [{ path: '/*', methods: ['POST'], noAuth: true }]));
  });
  afterAll(async () => {
    await home?.cleanup();
  });

  it('makes the gateway span the root and hangs the function and the event delivery under it', async () => {
    await waitFor(async () => (await viaGateway(port, 'orders.localhost', '/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"via-gateway"}' })).status === 200, 'orders to answer through the gateway', 30_000);
    let traceId: string | undefined;
    await waitFor(async () => {
      const res = await fetch(`${daemonUrl}/kl/v1/events?type=order.created.v1`, { headers: { authorization: `Bearer ${apiToken(home)}` } });
      const items = ((await res.json()) as { items: Array<{ traceId?: string; data?: { id?: string } }> }).items;
      traceId = items.find((e) => e.data?.id === 'via-gateway')?.traceId;
      return traceId !== undefined;
    }, 'the event sent by orders', 30_000);
    let spans: Span[] = [];
    await waitFor(async () => {
      const r = await home.cli(['trace', traceId!, '-o', 'json'], { reject: false });
      if (r.exitCode !== 0) return false;
      spans = (JSON.parse(String(r.stdout)) as { spans: Span[] }).spans;
      return spans.some((s) => s.service === 'mailer' && s.kind === 'server');
    }, 'the trace to reach mailer', 30_000);
    const gateway = spans.filter((s) => s.service === 'kyma-local-gateway');
    expect(gateway, JSON.stringify(spans.map((s) => [s.service, s.kind, s.name]))).toHaveLength(1);
    expect(gateway[0]!.parentSpanId).toBeUndefined();
    expect(gateway[0]!.kind).toBe('server');
    expect(gateway[0]!.name).toBe('POST orders/*');
    const ordersServer = spans.find((s) => s.service === 'orders' && s.kind === 'server')!;
    expect(ordersServer.parentSpanId).toBe(gateway[0]!.spanId);
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots.map((s) => s.service)).toEqual(['kyma-local-gateway']);
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
  });
});
