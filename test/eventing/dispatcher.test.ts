import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventingModule, type EventingModule, type InspectorEntry } from '../../main/core/embedded/eventing/index.js';
import { createEnv, startSink, subscription, subStatus, testProfile, waitFor, type TestEnv } from './helpers.js';

let env: TestEnv;
let mod: EventingModule;
const sinks: Array<Awaited<ReturnType<typeof startSink>>> = [];

async function subscribe(name: string, type: string, sinkPort: number, config?: Record<string, string>) {
  await env.store.create(subscription(name, { sink: `http://127.0.0.1:${sinkPort}/`, source: 'shop', types: [type], ...(config ? { config } : {}) }));
  await waitFor(() => subStatus(env.store, name)?.['ready'] === true, `${name} ready`);
}

beforeAll(async () => {
  env = await createEnv(testProfile({ retryInitialMs: 20, retryMaxMs: 80, maxDeliver: 3 }));
  mod = createEventingModule({ ackWaitMs: 5_000, deliveryTimeoutMs: 2_000 });
  await mod.start(env.ctx);
});

afterAll(async () => {
  await mod?.stop();
  for (const s of sinks) await s.close();
  await env?.cleanup();
});

describe('dispatcher', () => {
  it('retries a failing sink and records failed-then-succeeded attempts', async () => {
    const sink = await startSink((_r, n) => (n <= 2 ? 503 : 200));
    sinks.push(sink);
    await subscribe('flaky', 'flaky.happened.v1', sink.port);
    const live: InspectorEntry[] = [];
    const unsub = mod.api.subscribe((e) => live.push(e));
    const { id } = await mod.api.publish({ type: 'flaky.happened.v1', source: 'shop', data: { x: 1 } });
    const ev = await waitFor(() => {
      const e = mod.api.getEvent(id);
      return e?.attempts.some((a) => a.outcome === 'success') ? e : undefined;
    }, 'eventual success');
    unsub();
    expect(ev.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 503, 'retry'],
      [2, 503, 'retry'],
      [3, 200, 'success'],
    ]);
    expect(ev.attempts[0]!.subscription).toEqual({ namespace: 'default', name: 'flaky' });
    expect(ev.attempts[0]!.error).toContain('503');
    expect(live.filter((e) => e.kind === 'event').map((e) => e.id)).toEqual([id]);
    expect(live.filter((e) => e.kind === 'attempt')).toHaveLength(3);
    const [listed] = mod.api.queryEvents({ outcome: 'delivered', subscription: { namespace: 'default', name: 'flaky' } });
    expect(listed?.id).toBe(id);
    expect(listed?.deliveries).toEqual([{ subscription: { namespace: 'default', name: 'flaky' }, state: 'delivered', attempts: 3, statusCode: 200, latencyMs: ev.attempts[2]!.latencyMs }]);
  });

  it('dead-letters after maxDeliver attempts', async () => {
    const sink = await startSink(() => 500);
    sinks.push(sink);
    await subscribe('broken', 'broken.happened.v1', sink.port);
    const { id } = await mod.api.publish({ type: 'broken.happened.v1', source: 'shop', data: 'doomed' });
    const ev = await waitFor(() => {
      const e = mod.api.getEvent(id);
      return e?.attempts.some((a) => a.outcome === 'dead-lettered') ? e : undefined;
    }, 'dead-letter');
    expect(ev.attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'dead-lettered']);
    expect(ev.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(mod.api.queryEvents({ outcome: 'dead-lettered' }).find((e) => e.id === id)?.deliveries).toMatchObject([{ state: 'dead-lettered', attempts: 3, statusCode: 500 }]);
    expect(mod.api.queryEvents({ outcome: 'delivered', type: 'broken.happened.v1' })).toEqual([]);
    // No further delivery after dead-lettering.
    const count = sink.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.requests.length).toBe(count);
  });

  it('frees the slot of a dead-lettered event at once, so the next event is not held up until the ack wait', async () => {
    const sink = await startSink((r) => (r.body.includes('poison') ? 500 : 200));
    sinks.push(sink);
    await subscribe('strict', 'strict.happened.v1', sink.port, { maxInFlightMessages: '1' });
    const poison = await mod.api.publish({ type: 'strict.happened.v1', source: 'shop', data: 'poison' });
    const good = await mod.api.publish({ type: 'strict.happened.v1', source: 'shop', data: 'fine' });
    await waitFor(() => mod.api.getEvent(poison.id)?.attempts.some((a) => a.outcome === 'dead-lettered'), 'the poison event to be dead-lettered');
    // The module's ack wait is 5 s: a termination the server did not take would hold the only slot that long.
    await waitFor(() => mod.api.getEvent(good.id)?.attempts.some((a) => a.outcome === 'success'), 'the next event to be delivered', 2_500);
  });

  it('never has more than maxInFlightMessages deliveries outstanding', async () => {
    let open = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const sink = await startSink(
      () =>
        new Promise<number>((resolve) => {
          open++;
          peak = Math.max(peak, open);
          release.push(() => {
            open--;
            resolve(200);
          });
        }),
    );
    sinks.push(sink);
    await subscribe('slow', 'slow.happened.v1', sink.port, { maxInFlightMessages: '3' });
    const ids = [];
    for (let i = 0; i < 9; i++) ids.push((await mod.api.publish({ type: 'slow.happened.v1', source: 'shop', data: { i } })).id);
    await waitFor(() => open === 3, '3 concurrent deliveries');
    await new Promise((r) => setTimeout(r, 300));
    expect(open).toBe(3);
    while (sink.requests.length < 9 || release.length > 0) {
      const r = release.shift();
      if (r) r();
      else await new Promise((res) => setTimeout(res, 10));
    }
    expect(peak).toBe(3);
    await waitFor(() => ids.every((id) => mod.api.getEvent(id)?.attempts.some((a) => a.outcome === 'success')), 'all delivered');
  });

  it('query filters by type, source, outcome pending and time; inspector keeps data', async () => {
    const t0 = Date.now();
    const { id } = await mod.api.publish({ type: 'unheard.thing.v1', source: 'elsewhere', data: { big: 'y'.repeat(20_000) } });
    const pending = mod.api.queryEvents({ outcome: 'pending', source: 'elsewhere' });
    expect(pending.map((e) => e.id)).toEqual([id]);
    expect(pending[0]!.dataTruncated).toBe(true);
    expect(mod.api.queryEvents({ type: 'unheard.thing.v1', since: t0 }).map((e) => e.id)).toEqual([id]);
    expect(mod.api.queryEvents({ type: 'unheard.thing.v1', until: t0 - 1 })).toEqual([]);
    expect(mod.api.queryEvents({ limit: 1 })).toHaveLength(1);
  });

  it('replays an event with edited data to all subscribers, or directly to one subscription', async () => {
    const sink = await startSink();
    sinks.push(sink);
    await subscribe('replayed', 'replay.me.v1', sink.port);
    const { id } = await mod.api.publish({ type: 'replay.me.v1', source: 'shop', data: { v: 1 } });
    await waitFor(() => sink.requests.length === 1, 'first delivery');
    const again = await mod.api.replay(id, { data: { v: 2 } });
    expect(again.id).not.toBe(id);
    await waitFor(() => sink.requests.length === 2, 'replayed delivery');
    expect(JSON.parse(sink.requests[1]!.body)).toEqual({ v: 2 });
    expect(mod.api.getEvent(again.id)!.replayOf).toBe(id);
    const direct = await mod.api.replay(id, { subscription: { namespace: 'default', name: 'replayed' } });
    expect(direct.attempt?.outcome).toBe('success');
    expect(sink.requests).toHaveLength(3);
    expect(sink.requests[2]!.headers['ce-id']).toBe(id);
    await expect(mod.api.replay('no-such-event')).rejects.toMatchObject({ status: 404 });
  });

  it('publishLegacy validates like the HTTP endpoint', async () => {
    await expect(mod.api.publishLegacy('shop', { 'event-type': 'x' })).rejects.toMatchObject({ status: 400 });
    const r = await mod.api.publishLegacy('shop', { 'event-type': 'order.paid', 'event-type-version': 'v2', 'event-time': '2024-05-06T07:08:09Z', data: { ok: true } });
    expect(mod.api.getEvent(r.id)!.type).toBe('order.paid.v2');
  });
});
