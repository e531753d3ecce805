import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventingModule, type EventingModule } from '../../main/core/embedded/eventing/index.js';
import { createEnv, startSink, subscription, subStatus, testProfile, waitFor, type TestEnv } from './helpers.js';

let env: TestEnv | undefined;
let mods: EventingModule[] = [];
let sinks: Array<Awaited<ReturnType<typeof startSink>>> = [];

afterEach(async () => {
  for (const m of mods) await m.stop();
  for (const s of sinks) await s.close();
  await env?.cleanup();
  env = undefined;
  mods = [];
  sinks = [];
});

function binaryHeaders(id: string): Record<string, string> {
  return { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': 'load.tick.v1', 'ce-source': 'loadgen', 'ce-id': id };
}

describe('eventing resilience', () => {
  it('SIGKILL of nats-server during a publish load: errors instead of false 204s, every 204 delivered after restart', async () => {
    env = await createEnv();
    const received = new Set<string>();
    const sink = await startSink((r) => {
      received.add(String(r.headers['ce-id']));
      return 200;
    });
    sinks.push(sink);
    const mod = createEventingModule({ ackWaitMs: 3_000, deliveryTimeoutMs: 1_000 });
    mods.push(mod);
    await mod.start(env.ctx);
    const url = env.ctx.endpoints.get('publisher')!;
    await env.store.create(subscription('load', { sink: `http://127.0.0.1:${sink.port}/`, source: 'loadgen', types: ['load.tick.v1'] }));
    await waitFor(() => subStatus(env!.store, 'load')?.['ready'] === true, 'subscription ready');

    const acked: string[] = [];
    const failures: number[] = [];
    let running = true;
    const worker = async (): Promise<void> => {
      while (running) {
        const id = randomUUID();
        try {
          const res = await fetch(url, { method: 'POST', headers: binaryHeaders(id), body: JSON.stringify({ id }) });
          await res.arrayBuffer();
          if (res.status === 204) acked.push(id);
          else failures.push(res.status);
        } catch {
          failures.push(0);
        }
      }
    };
    const workers = Array.from({ length: 4 }, () => worker());
    try {
      await waitFor(() => acked.length >= 50, '50 acknowledged publishes before the kill');
      await env.nats.kill('SIGKILL');
      await waitFor(() => failures.length >= 5, 'publish errors while nats is down');
      expect(failures).toContain(502);
      expect((await fetch(url.replace(/\/publish$/, '/readyz'))).status).toBe(503);
      const ackedBeforeRestart = acked.length;
      await env.nats.restart();
      await waitFor(() => acked.length >= ackedBeforeRestart + 50, 'acknowledged publishes after the restart', 30_000);
    } finally {
      running = false;
      await Promise.all(workers);
    }
    expect(failures.every((s) => s >= 500)).toBe(true);
    await waitFor(() => acked.every((id) => received.has(id)), `all ${acked.length} acknowledged events delivered`, 30_000);
    expect((await fetch(url.replace(/\/publish$/, '/readyz'))).status).toBe(200);
  });

  it('a module restart resumes the durable consumers without losing acknowledged events', async () => {
    env = await createEnv();
    let accept = false;
    const received = new Set<string>();
    const sink = await startSink((r) => {
      if (!accept) return 503;
      received.add(String(r.headers['ce-id']));
      return 200;
    });
    sinks.push(sink);
    const first = createEventingModule({ ackWaitMs: 2_000, deliveryTimeoutMs: 1_000 });
    await first.start(env.ctx);
    await env.store.create(subscription('resume', { sink: `http://127.0.0.1:${sink.port}/`, source: 'loadgen', types: ['load.tick.v1'] }));
    await waitFor(() => subStatus(env!.store, 'resume')?.['ready'] === true, 'subscription ready');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await first.api.publish({ type: 'load.tick.v1', source: 'loadgen', data: { i } })).id);
    await waitFor(() => sink.requests.length >= 1, 'first failed delivery');
    await first.stop();
    expect(first.status().state).toBe('Stopped');

    accept = true;
    const second = createEventingModule({ ackWaitMs: 2_000, deliveryTimeoutMs: 1_000 });
    mods.push(second);
    await second.start(env.ctx);
    await waitFor(() => ids.every((id) => received.has(id)), 'all events delivered after the module restart', 30_000);
    expect(received.size).toBeGreaterThanOrEqual(20);
    // The new inspector never saw them published; it shows them from JetStream, with their deliveries.
    const listed = await waitFor(() => {
      const l = second.api.queryEvents({ source: 'loadgen', outcome: 'delivered' });
      return l.length >= 20 ? l : undefined;
    }, 'the recovered events in the inspector');
    expect(new Set(listed.map((e) => e.id))).toEqual(new Set(ids));
    expect(listed[0]).toMatchObject({ via: 'recovered', type: 'load.tick.v1', subject: 'kyma.loadgen.load.tick.v1', deliveries: [{ subscription: { name: 'resume' }, state: 'delivered' }] });
    expect(listed.map((e) => (e.data as { i: number }).i).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('answers 507 when the stream is full (discard new)', async () => {
    const profile = testProfile();
    profile.limits.eventStreamMaxBytes = 8 * 1024;
    env = await createEnv(profile);
    const mod = createEventingModule();
    mods.push(mod);
    await mod.start(env.ctx);
    // A sink that does not resolve keeps the consumer (and so the events) without dispatching.
    await env.store.create(subscription('hold', { sink: 'http://absent.default.svc.cluster.local', source: 'loadgen', types: ['load.tick.v1'] }));
    await waitFor(() => Array.isArray(subStatus(env!.store, 'hold')?.['conditions']), 'subscription reconciled');
    const url = env.ctx.endpoints.get('publisher')!;
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(507); i++) {
      const res = await fetch(url, { method: 'POST', headers: binaryHeaders(randomUUID()), body: JSON.stringify({ pad: 'p'.repeat(1024) }) });
      statuses.push(res.status);
    }
    expect(statuses[0]).toBe(204);
    expect(statuses.at(-1)).toBe(507);
    expect(statuses.filter((s) => s !== 204 && s !== 507)).toEqual([]);
  });
});
