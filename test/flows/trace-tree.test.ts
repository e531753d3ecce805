import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, deployOrderFlow, statusJson, waitFor, type TestHome } from '../helpers/cli.js';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  service: string;
  status: { code: string };
  attributes: Record<string, unknown>;
}
interface Trace {
  traceId: string;
  spans: Span[];
}
interface EventRow {
  id: string;
  traceId?: string;
  data?: { id?: string };
  attempts: Array<{ outcome: string; traceId?: string; spanId?: string }>;
}

describe('one trace: HTTP → A → emitCloudEvent → publisher proxy → JetStream → dispatcher → B', () => {
  let home: TestHome;
  let daemonUrl: string;

  async function api<T>(path: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${daemonUrl}${path}`, { headers: { authorization: `Bearer ${apiToken(home)}` } });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** The trace once B's server span is in it (workers export asynchronously). */
  async function traceReachingB(traceId: string): Promise<Trace> {
    let trace: Trace | undefined;
    await waitFor(async () => {
      const r = await home.cli(['trace', traceId, '-o', 'json'], { reject: false });
      if (r.exitCode !== 0) return false;
      trace = JSON.parse(String(r.stdout)) as Trace;
      return trace.spans.some((s) => s.service === 'mailer' && s.kind === 'server');
    }, `trace ${traceId} to reach function B`, 30_000);
    return trace!;
  }

  /** Asserts the parent chain A server → A client → publish → deliver → B server; returns the spans. */
  function assertChain(trace: Trace, clientParent: string | undefined): Record<'aServer' | 'aClient' | 'publish' | 'deliver' | 'bServer', Span> {
    const one = (pred: (s: Span) => boolean, what: string): Span => {
      const found = trace.spans.filter(pred);
      expect(found, `${what} in ${JSON.stringify(trace.spans.map((s) => [s.service, s.kind, s.name]))}`).toHaveLength(1);
      return found[0]!;
    };
    const aServer = one((s) => s.service === 'orders' && s.kind === 'server', "A's server span");
    const aClient = one((s) => s.service === 'orders' && s.kind === 'client', "A's emitCloudEvent client span");
    const publish = one((s) => s.service === 'kyma-local-eventing' && s.name === 'publish order.created.v1', 'the publish span');
    const deliver = one((s) => s.service === 'kyma-local-eventing' && s.name.startsWith('deliver order.created.v1'), 'the deliver span');
    const bServer = one((s) => s.service === 'mailer' && s.kind === 'server', "B's server span");
    for (const s of [aServer, aClient, publish, deliver, bServer]) expect(s.traceId).toBe(trace.traceId);
    expect(aServer.parentSpanId).toBe(clientParent);
    expect(aClient.parentSpanId).toBe(aServer.spanId);
    expect(publish.parentSpanId).toBe(aClient.spanId);
    expect(deliver.parentSpanId).toBe(publish.spanId);
    expect(bServer.parentSpanId).toBe(deliver.spanId);
    expect(publish.kind).toBe('server');
    expect(deliver.kind).toBe('consumer');
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination': 'kyma.shop.order.created.v1', 'cloudevents.event_type': 'order.created.v1', 'cloudevents.event_source': 'shop' });
    expect(deliver.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination': 'kyma.shop.order.created.v1',
      subscription: 'default/mailer-orders',
      attempt: 1,
      'http.status_code': 200,
      'cloudevents.event_id': publish.attributes['cloudevents.event_id'],
    });
    expect(deliver.status.code).not.toBe('error');
    return { aServer, aClient, publish, deliver, bServer };
  }

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'eventing', 'telemetry'] })]);
    daemonUrl = (await statusJson(home)).daemon!.url;
    await deployOrderFlow(home, join(home.dir, 'fns'), "module.exports = { main: async (event) => 'mailed ' + (event.data && event.data.id) };\n");
    await waitFor(async () => (await home.cli(['invoke', 'mailer'], { reject: false })).exitCode === 0, 'mailer to serve', 30_000);
  });
  afterAll(async () => {
    await home?.cleanup();
  });

  it('hangs the whole flow under the caller’s traceparent, with eventing’s publish and deliver spans in between', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    await waitFor(
      async () => (await home.cli(['invoke', 'orders', '--data', '{"id":"with-parent"}', '-H', `traceparent=00-${traceId}-${callerSpan}-01`], { reject: false })).exitCode === 0,
      'orders to accept the call',
      30_000,
    );
    const trace = await traceReachingB(traceId);
    const { deliver } = assertChain(trace, callerSpan);

    // The inspector's event and delivery attempt name the same trace (and the attempt its deliver span).
    const events = await api<{ items: EventRow[] }>('/kl/v1/events?type=order.created.v1');
    const ev = events.body.items.find((e) => e.data?.id === 'with-parent');
    expect(ev?.traceId).toBe(traceId);
    let attempts: EventRow['attempts'] = [];
    await waitFor(async () => {
      attempts = (await api<EventRow>(`/kl/v1/events/${ev!.id}`)).body.attempts;
      return attempts.some((a) => a.outcome === 'success');
    }, 'the delivery attempt to be recorded');
    expect(attempts.find((a) => a.outcome === 'success')).toMatchObject({ traceId, spanId: deliver.spanId });
  });

  it('without a caller trace, A’s server span is the root and the event carries its trace id', async () => {
    expect(String((await home.cli(['invoke', 'orders', '--data', '{"id":"no-parent"}'])).stdout).trim()).toBe('accepted');
    let ev: EventRow | undefined;
    await waitFor(async () => {
      ev = (await api<{ items: EventRow[] }>('/kl/v1/events?type=order.created.v1')).body.items.find((e) => e.data?.id === 'no-parent');
      return ev !== undefined;
    }, 'the event of the untraced call', 45_000);
    expect(ev!.traceId).toMatch(/^[0-9a-f]{32}$/);
    const trace = await traceReachingB(ev!.traceId!);
    assertChain(trace, undefined);
  });
});
