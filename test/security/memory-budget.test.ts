/**
 * Memory is bounded in bytes: with 60 KB events and spans carrying 4 KB attributes, the real daemon process's RSS
 * stays within its byte budgets (retention.eventBytes/spanBytes/logBytes) above its idle RSS, and the profile's
 * count settings are applied.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, type TestHome } from '../helpers/cli.js';

const MiB = 1024 * 1024;
const BUDGET = 16 * MiB;
let home: TestHome;
let base: string;
let token: string;
let publisher: string;
let otlp: string;

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as T;
}

beforeAll(async () => {
  home = await createTestHome();
  const extra = ['  retention:', '    events: 10000', '    logs: 1234', '    eventBytes: 16Mi', '    logBytes: 16Mi', '    spanBytes: 16Mi'].join('\n');
  await home.cli(['up', '--profile', await home.profile({ modules: ['telemetry', 'eventing'], extra })]);
  const status = await statusJson(home);
  base = status.daemon!.url;
  token = apiToken(home);
  const comps = status.cluster!.components;
  publisher = comps.find((c) => c.name === 'eventing')!.urls!['publisher']!;
  otlp = comps.find((c) => c.name === 'telemetry')!.urls?.['otlp'] ?? comps.find((c) => c.name === 'telemetry')!.message!.replace('OTLP/HTTP on ', '');
});
afterAll(async () => {
  await home?.cleanup();
});

async function pool(n: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await job(next++);
  }));
}

async function sendEvents(n: number, payload: string): Promise<number> {
  let accepted = 0;
  await pool(n, 8, async () => {
    const res = await fetch(publisher, { method: 'POST', headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': randomUUID(), 'ce-source': 'shop', 'ce-type': 'big.event.v1' }, body: payload });
    await res.arrayBuffer();
    if (res.status === 204) accepted++;
  });
  return accepted;
}

let traceSeq = 0;
async function sendSpans(batches: number): Promise<void> {
  const attr = 's'.repeat(4096);
  await pool(batches, 4, async () => {
    const spans = Array.from({ length: 50 }, (_, i) => ({
      traceId: (++traceSeq).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'big',
      kind: 1,
      startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
      endTimeUnixNano: String(BigInt(Date.now() + 1) * 1_000_000n),
      attributes: [{ key: 'payload', value: { stringValue: `${attr}${traceSeq}` } }],
    }));
    const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'mem' } }] }, scopeSpans: [{ spans }] }] });
    const res = await fetch(`${otlp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  });
}

const settle = () => new Promise((r) => setTimeout(r, 1500));

describe('memory bounded in bytes', () => {
  it('60 KB events and 4 KB-attribute spans: daemon RSS stays within the byte budgets and stops growing', async () => {
    const pid = home.daemonPid()!;
    const idle = rssBytes(pid);
    const payload = JSON.stringify({ blob: 'e'.repeat(60 * 1024) });
    const rss: number[] = [];
    for (let round = 0; round < 3; round++) {
      expect(await sendEvents(1500, payload)).toBe(1500);
      await sendSpans(50);
      await settle();
      rss.push(rssBytes(pid));
    }
    const budgets = 3 * BUDGET;
    const sent = 3 * (1500 * payload.length + 2500 * 4096);
    console.log(`memory: idle RSS ${(idle / MiB).toFixed(0)} MiB; after each round of 1,500×60 KB events and 2,500×4 KB spans ${rss.map((r) => (r / MiB).toFixed(0)).join(', ')} MiB (byte budgets ${(budgets / MiB).toFixed(0)} MiB, ${(sent / MiB).toFixed(0)} MiB sent)`);
    // Another round of the same load must not grow the daemon: what it keeps is bounded by the budgets, not by
    // what was sent (without byte budgets each round kept another ~110 MiB of payload). RSS also holds garbage not
    // yet collected, so this compares the last two rounds, once the heap has reached its working size.
    expect(rss[2]! - rss[1]!).toBeLessThan(80 * MiB);
    // Budgets plus the runtime's fixed overhead under load (young generation, uncollected garbage, allocator
    // pages), which does not depend on the load's size: README "Security" documents both.
    expect(rss[2]! - idle).toBeLessThan(budgets + 256 * MiB);

    // The oldest events went; the newest are kept with their data cut and its size named.
    const events = (await api<{ items: Array<{ id: string; dataTruncated?: boolean; dataBytes?: number }> }>('/kl/v1/events?limit=10000')).items;
    expect(events.length).toBeGreaterThan(100);
    expect(events.length).toBeLessThan(4000);
    expect(events[0]).toMatchObject({ dataTruncated: true, dataBytes: payload.length });
    const traces = await api<{ items: unknown[] }>('/kl/v1/traces?limit=100000');
    expect(traces.items.length).toBeGreaterThan(100);
    expect(traces.items.length).toBeLessThan(10_000);
  });

  it('applies the profile’s count settings (retention.logs here 1234, not the built-in 10,000)', async () => {
    const logs = Array.from({ length: 3000 }, (_, i) => ({ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n + BigInt(i)), severityNumber: 9, body: { stringValue: `line ${i}` } }));
    const body = JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'counted' } }] }, scopeLogs: [{ logRecords: logs }] }] });
    expect((await fetch(`${otlp}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
    const kept = await api<{ items: unknown[] }>('/kl/v1/logs?limit=100000');
    expect(kept.items.length).toBe(1234);
  });
});
