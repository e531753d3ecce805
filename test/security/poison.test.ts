/**
 * One bad event must not hurt the others: attributes that would break NATS framing are refused before NATS (400
 * naming the limit), and if the shared connection drops anyway, publishes in flight fail fast and it comes back.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBackend, createEventingModule, ensureStream, EVENT_LIMITS, type EventingModule } from '../../main/core/embedded/eventing/index.js';
import { silentLogger } from '../../main/core/model/index.js';
import { createEnv, startSink, subscription, subStatus, waitFor, type TestEnv } from '../eventing/helpers.js';

let env: TestEnv;
let mod: EventingModule;
let url: string;
let sink: Awaited<ReturnType<typeof startSink>>;
const received = new Set<string>();

beforeAll(async () => {
  env = await createEnv();
  sink = await startSink((r) => {
    received.add(String(r.headers['ce-id']));
    return 200;
  });
  mod = createEventingModule({ ackWaitMs: 5_000, deliveryTimeoutMs: 2_000 });
  await mod.start(env.ctx);
  url = env.ctx.endpoints.get('publisher')!;
  await env.store.create(subscription('good', { sink: `http://127.0.0.1:${sink.port}/`, source: 'shop', types: ['order.created.v1'] }));
  await waitFor(() => subStatus(env.store, 'good')?.['ready'] === true, 'subscription ready');
});

afterAll(async () => {
  await mod?.stop();
  await sink?.close();
  await env?.cleanup();
});

const long = 'x'.repeat(5000);
/** Structured events, so that control characters can be sent (HTTP headers cannot carry them). */
const POISON: Array<{ attrs: Record<string, string>; limit: RegExp }> = [
  { attrs: { type: `order.${long}.v1` }, limit: /type is 5010 characters long; the limit is 512/ },
  { attrs: { source: long }, limit: /source is 5000 characters long; the limit is 256/ },
  { attrs: { subject: long }, limit: /subject is 5000 characters long; the limit is 1024/ },
  { attrs: { id: long }, limit: /id is 5000 characters long; the limit is 256/ },
  { attrs: { type: 'order.created\r\nPUB x 1\r\n.v1' }, limit: /type contains the control character U\+000D/ },
  // The CloudEvents SDK already refuses a source that is no URI reference.
  { attrs: { source: 'shop\u0000' }, limit: /^invalid CloudEvent: (source contains the control character U\+0000|invalid payload)/ },
  { attrs: { subject: 'a\u0007b' }, limit: /subject contains the control character U\+0007/ },
];

async function publish(attrs: Record<string, string>): Promise<{ status: number; body: string; id: string }> {
  const id = attrs['id'] ?? randomUUID();
  const event = { specversion: '1.0', id, source: 'shop', type: 'order.created.v1', data: { n: 1 }, ...attrs };
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(event) });
  return { status: res.status, body: await res.text(), id };
}

describe('poison events', () => {
  it('100 poison publishes interleaved with 2,000 good ones: every poison one 400 naming the limit, every good one stored and delivered', async () => {
    expect(EVENT_LIMITS.type).toBe(512);
    const plan: Array<number | 'good'> = [];
    for (let i = 0; i < 2100; i++) plan.push(i % 21 === 20 ? i % POISON.length : 'good');
    const good: string[] = [];
    const goodFailures: Array<{ status: number; body: string }> = [];
    const poisonAnswers: Array<{ status: number; body: string; limit: RegExp }> = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < plan.length) {
        const item = plan[next++]!;
        if (item === 'good') {
          const r = await publish({});
          if (r.status === 204) good.push(r.id);
          else goodFailures.push(r);
        } else {
          const p = POISON[item]!;
          const r = await publish(p.attrs);
          poisonAnswers.push({ ...r, limit: p.limit });
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => worker()));
    expect(poisonAnswers).toHaveLength(100);
    for (const p of poisonAnswers) {
      expect(p.status).toBe(400);
      expect(p.body).toMatch(p.limit);
    }
    expect(goodFailures).toEqual([]);
    expect(good).toHaveLength(2000);
    await waitFor(() => good.every((id) => received.has(id)), 'every good event delivered', 60_000);
    // 204 means JetStream acknowledged the write; the inspector shows the latest ones delivered.
    expect(mod.api.getEvent(good.at(-1)!)?.attempts.some((a) => a.outcome === 'success')).toBe(true);
  });

  it('a dropped NATS connection fails in-flight publishes fast (502, not a 5 s timeout) and comes back', async () => {
    const backend = await connectBackend(env.nats.url, silentLogger);
    try {
      await ensureStream(backend.jsm, 64 * 1024 * 1024);
      const payload = Buffer.from('{}');
      const hdrs = { 'ce-id': '1' };
      await backend.publish('kyma.shop.probe.v1', payload, hdrs);
      const started = performance.now();
      const inFlight = Array.from({ length: 20 }, () => backend.publish('kyma.shop.probe.v1', payload, hdrs).then(() => 'ok', (err: { status?: number }) => err.status ?? 0));
      // Bypass every check: the server answers -ERR 'maximum control line exceeded' and closes the connection.
      backend.nc.publish(`kyma.${'y'.repeat(5000)}`, payload);
      const outcomes = await Promise.all(inFlight);
      const settledMs = performance.now() - started;
      expect(outcomes.every((o) => o === 'ok' || o === 502), JSON.stringify(outcomes)).toBe(true);
      await waitFor(() => backend.connected() || undefined, 'the backend to reconnect', 10_000);
      const backMs = performance.now() - started;
      await backend.publish('kyma.shop.probe.v1', payload, hdrs);
      // Figures, not assertions (GUIDE: no timed assertions); the bench and the issue note carry them.
      console.log(`nats drop: in-flight publishes settled in ${settledMs.toFixed(0)} ms, connection back after ${backMs.toFixed(0)} ms`);
      expect(settledMs).toBeLessThan(5_000); // the ack timeout: nothing waited it out
    } finally {
      await backend.close();
    }
  });
});
