import { createHash } from 'node:crypto';
import { CloudEvent, HTTP, Mode, emitterFor, httpTransport } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventingModule, MAX_REQUEST_BYTES, type EventingModule } from '../../main/core/embedded/eventing/index.js';
import { SUBSCRIPTION } from '../../main/core/model/index.js';
import { createEnv, startSink, subscription, subStatus, waitFor, type TestEnv } from './helpers.js';

let env: TestEnv;
let mod: EventingModule;
let base: string;
let sink: Awaited<ReturnType<typeof startSink>>;

async function post(path: string, body: string | Buffer, headers: Record<string, string>) {
  return fetch(`${base}${path}`, { method: 'POST', headers, body });
}

beforeAll(async () => {
  env = await createEnv();
  sink = await startSink();
  mod = createEventingModule({ ackWaitMs: 5_000, deliveryTimeoutMs: 2_000 });
  await mod.start(env.ctx);
  base = env.ctx.endpoints.get('publisher')!.replace(/\/publish$/, '');
  env.services.set('order-sink', 'default', [{ host: '127.0.0.1', port: sink.port }]);
  await env.store.create(
    subscription('orders', {
      sink: 'http://order-sink.default.svc.cluster.local/events',
      source: 'myapp',
      types: ['order.created.v1', 'order.dele ted.v1'],
    }),
  );
  await waitFor(() => subStatus(env.store, 'orders')?.['ready'] === true, 'subscription ready');
});

afterAll(async () => {
  await mod?.stop();
  await sink?.close();
  await env?.cleanup();
});

describe('module lifecycle', () => {
  it('publishes its endpoint, service and status', async () => {
    const st = mod.status();
    expect(st.state).toBe('Ready');
    expect(st.urls?.['publisher']).toBe(`${base}/publish`);
    expect(st.ports?.['publisher']).toBe(Number(new URL(base).port));
    expect(env.services.pick('eventing-publisher-proxy.kyma-system.svc.cluster.local')?.port).toBe(st.ports?.['publisher']);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});

describe('Subscription status', () => {
  it('writes types, consumer names and conditions like eventing-manager', () => {
    const status = subStatus(env.store, 'orders')!;
    expect(status['types']).toEqual([
      { originalType: 'order.created.v1', cleanType: 'order.created.v1' },
      { originalType: 'order.dele ted.v1', cleanType: 'order.deleted.v1' },
    ]);
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    expect(status['backend']).toEqual({
      types: [
        { originalType: 'order.created.v1', consumerName: md5('default/orders/kyma.myapp.order.created.v1') },
        { originalType: 'order.dele ted.v1', consumerName: md5('default/orders/kyma.myapp.order.deleted.v1') },
      ],
    });
    const conds = status['conditions'] as Array<Record<string, string>>;
    expect(conds.map((c) => [c['type'], c['status'], c['reason']])).toEqual([
      ['Subscription active', 'True', 'NATS Subscription active'],
      ['Subscription spec valid', 'True', 'Subscription spec has no validation errors'],
    ]);
  });
});

describe('POST /publish', () => {
  it('accepts a binary CloudEvent with 204 and delivers it in binary mode with the original type and trace headers', async () => {
    const before = sink.requests.length;
    const ev = new CloudEvent({ type: 'order.created.v1', source: 'myapp', data: { orderId: 1 } });
    const msg = HTTP.binary(ev);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await post('/publish', msg.body as string, {
      ...(msg.headers as Record<string, string>),
      traceparent,
      'X-B3-TraceId': '80f198ee56343ba864fe8b2a57d3eff7',
    });
    expect(res.status).toBe(204);
    const got = await waitFor(() => sink.requests.slice(before).find((r) => r.headers['ce-id'] === ev.id), 'delivery');
    expect(got.headers['ce-type']).toBe('order.created.v1');
    expect(got.headers['ce-source']).toBe('myapp');
    expect(got.headers['ce-originaltype']).toBeUndefined();
    expect(got.headers['traceparent']).toBe(traceparent);
    expect(got.headers['x-b3-traceid']).toBe('80f198ee56343ba864fe8b2a57d3eff7');
    expect(JSON.parse(got.body)).toEqual({ orderId: 1 });
    const rec = mod.api.getEvent(ev.id)!;
    expect(rec.subject).toBe('kyma.myapp.order.created.v1');
    expect(rec.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(rec.extensions['b3traceid']).toBe('80f198ee56343ba864fe8b2a57d3eff7');
    await waitFor(() => mod.api.getEvent(ev.id)!.attempts.some((a) => a.outcome === 'success'), 'success attempt');
  });

  it('accepts a structured CloudEvent sent with the SDK emitter and cleans the type into the subject', async () => {
    const emit = emitterFor(httpTransport(`${base}/publish`), { mode: Mode.STRUCTURED });
    const ev = new CloudEvent({ type: 'order.dele ted.v1', source: 'myapp', data: { orderId: 2 } });
    await emit(ev);
    const got = await waitFor(() => sink.requests.find((r) => r.headers['ce-id'] === ev.id), 'structured delivery');
    expect(got.headers['ce-type']).toBe('order.dele ted.v1');
    expect(mod.api.getEvent(ev.id)!.subject).toBe('kyma.myapp.order.deleted.v1');
  });

  it('answers 204 for an event without subscribers (stored, nobody interested)', async () => {
    const msg = HTTP.structured(new CloudEvent({ type: 'nobody.listens.v1', source: 'other', data: 'x' }));
    const res = await post('/publish', msg.body as string, msg.headers as Record<string, string>);
    expect(res.status).toBe(204);
  });

  it.each([
    ['no CloudEvent headers', { 'content-type': 'application/json' }, '{"a":1}'],
    ['missing ce-source', { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': 'a.b', 'ce-id': '1' }, '{}'],
    ['missing ce-type', { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-source': 's', 'ce-id': '1' }, '{}'],
    ['unsupported specversion', { 'content-type': 'application/json', 'ce-specversion': '9.9', 'ce-type': 'a.b', 'ce-source': 's', 'ce-id': '1' }, '{}'],
    ['malformed structured JSON', { 'content-type': 'application/cloudevents+json' }, '{not json'],
    ['structured event without id', { 'content-type': 'application/cloudevents+json' }, JSON.stringify({ specversion: '1.0', type: 'a.b', source: 's' })],
    ['type that cleans to an empty segment', { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': 'a.>.b', 'ce-source': 's', 'ce-id': '1' }, '{}'],
  ])('rejects %s with 400 and a text reason', async (_name, headers, body) => {
    const res = await post('/publish', body, headers);
    expect(res.status).toBe(400);
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it('rejects a body over 64 KiB with 413', async () => {
    const big = JSON.stringify({ specversion: '1.0', type: 'a.b', source: 's', id: '1', data: 'x'.repeat(MAX_REQUEST_BYTES) });
    const res = await post('/publish', big, { 'content-type': 'application/cloudevents+json' });
    expect(res.status).toBe(413);
  });

  it('serves /<app>/v2/events and /<app>/events like /publish', async () => {
    for (const p of ['/myapp/v2/events', '/myapp/events']) {
      const ev = new CloudEvent({ type: 'order.created.v1', source: 'myapp', data: { via: p } });
      const msg = HTTP.binary(ev);
      const res = await post(p, msg.body as string, msg.headers as Record<string, string>);
      expect(res.status).toBe(204);
      await waitFor(() => sink.requests.find((r) => r.headers['ce-id'] === ev.id), `delivery via ${p}`);
    }
    expect((await post('/myapp/v2/events', '{}', { 'content-type': 'application/json' })).status).toBe(400);
  });

  it('answers 404 for unknown routes and 405 for wrong methods', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/publish`)).status).toBe(405);
  });
});

describe('legacy POST /<app>/v1/events', () => {
  const valid = { 'event-type': 'order.created', 'event-type-version': 'v1', 'event-time': '2024-01-02T03:04:05Z', data: { n: 1 } };

  it('answers 200 with the event id and delivers type <event-type>.<version> from source <app>', async () => {
    const id = '3b2d5bd2-6a0b-4d54-9f2c-0a7e2b5c9d11';
    const res = await post('/myapp/v1/events', JSON.stringify({ ...valid, 'event-id': id }), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ 'event-id': id, status: '', reason: '' });
    const got = await waitFor(() => sink.requests.find((r) => r.headers['ce-id'] === id), 'legacy delivery');
    expect(got.headers['ce-type']).toBe('order.created.v1');
    expect(got.headers['ce-source']).toBe('myapp');
    expect(got.headers['ce-eventtypeversion']).toBe('v1');
    expect(JSON.parse(got.body)).toEqual({ n: 1 });
  });

  it('generates an id when none is given', async () => {
    const res = await post('/myapp/v1/events', JSON.stringify(valid), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body['event-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  const missing = (field: string) => ({
    status: 400,
    type: 'validation_violation',
    message: 'We need all required fields complete to keep you moving.',
    moreInfo: '',
    details: [{ field, type: 'missing_field', message: 'We need all required fields complete to keep you moving.', moreInfo: '' }],
  });
  const invalid = (field: string) => ({
    status: 400,
    type: 'validation_violation',
    message: 'We need all your entries to be correct to keep you moving.',
    moreInfo: '',
    details: [{ field, type: 'invalid_field', message: 'We need all your entries to be correct to keep you moving.', moreInfo: '' }],
  });
  const without = (k: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k));

  it.each([
    ['missing event-type', without('event-type'), missing('event-type')],
    ['missing event-type-version', without('event-type-version'), missing('event-type-version')],
    ['invalid event-type-version', { ...valid, 'event-type-version': 'v-1' }, invalid('event-type-version')],
    ['missing event-time', without('event-time'), missing('event-time')],
    ['invalid event-time', { ...valid, 'event-time': 'yesterday' }, invalid('event-time')],
    ['invalid event-id', { ...valid, 'event-id': 'not-a-uuid' }, invalid('event-id')],
    ['missing data', without('data'), missing('data')],
    ['empty string data', { ...valid, data: '' }, missing('data')],
  ])('%s → 400 with the upstream error body', async (_n, body, expected) => {
    const res = await post('/myapp/v1/events', JSON.stringify(body), { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(expected);
  });

  it('malformed JSON → 400 bad_payload_syntax; empty body → 400; too large → 413 request_body_too_large', async () => {
    const bad = await post('/myapp/v1/events', '{"event-type":', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    const b = (await bad.json()) as Record<string, unknown>;
    expect(b['type']).toBe('bad_payload_syntax');
    expect(b['message']).toBe('Something went very wrong. Please try again.');
    const empty = await post('/myapp/v1/events', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Record<string, unknown>)['type']).toBe('bad_payload_syntax');
    const big = await post('/myapp/v1/events', JSON.stringify({ ...valid, data: 'x'.repeat(MAX_REQUEST_BYTES) }), { 'content-type': 'application/json' });
    expect(big.status).toBe(413);
    const bb = (await big.json()) as Record<string, unknown>;
    expect(bb['type']).toBe('request_body_too_large');
    expect(bb['status']).toBe(413);
  });

  it('GET /<app>/v1/events/subscribed lists the types of Subscriptions with that source', async () => {
    const res = await fetch(`${base}/myapp/v1/events/subscribed`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      eventsInfo: [
        { name: 'order.created', version: 'v1' },
        { name: 'order.dele ted', version: 'v1' },
      ],
    });
    expect(await (await fetch(`${base}/unknownapp/v1/events/subscribed`)).json()).toEqual({ eventsInfo: [] });
  });
});

describe('Subscription reconciliation', () => {
  it('reports a sink that does not resolve and recovers when the service appears', async () => {
    await env.store.create(subscription('late', { sink: 'http://late-fn.default.svc.cluster.local', source: 'myapp', types: ['late.event.v1'] }));
    const st = await waitFor(() => {
      const s = subStatus(env.store, 'late');
      return s && Array.isArray(s['conditions']) ? s : undefined;
    }, 'late status');
    expect(st['ready']).toBe(false);
    const specCond = (st['conditions'] as Array<Record<string, string>>).find((c) => c['type'] === 'Subscription spec valid')!;
    expect(specCond['status']).toBe('False');
    expect(specCond['message']).toContain('service "late-fn" not found in namespace "default"');
    // Events published before the function exists are kept and delivered once it appears.
    const ev = await mod.api.publish({ type: 'late.event.v1', source: 'myapp', data: { early: true } });
    const lateSink = await startSink();
    try {
      env.services.set('late-fn', 'default', [{ host: '127.0.0.1', port: lateSink.port }]);
      await waitFor(() => subStatus(env.store, 'late')?.['ready'] === true, 'late ready');
      await waitFor(() => lateSink.requests.find((r) => r.headers['ce-id'] === ev.id), 'early event delivered');
    } finally {
      await lateSink.close();
    }
  });

  it('update replaces consumers and delete removes them', async () => {
    await env.store.create(subscription('churn', { sink: `http://127.0.0.1:${sink.port}`, source: 'myapp', types: ['a.b.v1'] }));
    const first = await waitFor(() => {
      const s = subStatus(env.store, 'churn');
      return s?.['ready'] === true ? (s['backend'] as { types: Array<{ consumerName: string }> }).types[0]!.consumerName : undefined;
    }, 'churn ready');
    const jsm = await consumersOnServer();
    expect(jsm).toContain(first);
    const cur = env.store.get(SUBSCRIPTION, 'default', 'churn');
    await env.store.update({ ...cur, spec: { ...cur.spec, types: ['c.d.v1'] } });
    const second = await waitFor(() => {
      const t = (subStatus(env.store, 'churn')?.['backend'] as { types: Array<{ originalType: string; consumerName: string }> } | undefined)?.types;
      return t?.[0]?.originalType === 'c.d.v1' ? t[0].consumerName : undefined;
    }, 'churn updated');
    await waitFor(async () => {
      const names = await consumersOnServer();
      return names.includes(second) && !names.includes(first);
    }, 'old consumer removed');
    await env.store.delete(SUBSCRIPTION, 'default', 'churn');
    await waitFor(async () => !(await consumersOnServer()).includes(second), 'consumer deleted with the subscription');
  });
});

async function consumersOnServer(): Promise<string[]> {
  const { connect } = await import('nats');
  const nc = await connect({ servers: env.nats.url });
  try {
    const jsm = await nc.jetstreamManager();
    return (await jsm.consumers.list('sap').next()).map((c) => c.name);
  } finally {
    await nc.close();
  }
}
