// The telemetry HTTP routes on a real server (Router + registerTelemetryRoutes), and the CLI's waterfall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '../../main/core/daemon/http/router.js';
import { registerTelemetryRoutes } from '../../main/core/daemon/routes/telemetry.js';
import { createTelemetry, type Telemetry } from '../../main/core/telemetry/index.js';
import { renderWaterfall } from '../../main/cli/commands/telemetry.js';

let telemetry: Telemetry;
let server: Server;
let base: string;
const NOW = Date.now();
const TRACE = 'ab'.repeat(16);

function ns(ms: number): string {
  return `${Math.round(ms)}000000`;
}

beforeAll(async () => {
  telemetry = createTelemetry();
  const router = new Router();
  registerTelemetryRoutes(router, telemetry);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void router.handle(req, res, url).then((hit) => {
      if (!hit) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const service = (name: string) => ({ attributes: [{ key: 'service.name', value: { stringValue: name } }] });
  telemetry.ingestSpans({
    resourceSpans: [
      { resource: service('orders'), scopeSpans: [{ spans: [{ traceId: TRACE, spanId: '01'.repeat(8), name: 'GET /orders', startTimeUnixNano: ns(NOW), endTimeUnixNano: ns(NOW + 120), attributes: [{ key: 'http.method', value: { stringValue: 'GET' } }] }] }] },
      { resource: service('payments'), scopeSpans: [{ spans: [{ traceId: TRACE, spanId: '02'.repeat(8), parentSpanId: '01'.repeat(8), name: 'charge', startTimeUnixNano: ns(NOW + 20), endTimeUnixNano: ns(NOW + 80), status: { code: 2, message: 'card declined' } }] }] },
    ],
  });
  telemetry.recordLog({ level: 'error', body: 'card declined', resource: { function: 'payments', namespace: 'shop', replica: 'payments-1', revision: '1' }, traceId: TRACE });
  telemetry.recordMetric('function_calls_total', 'counter', 2, { function: 'payments' });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path);
  return { status: res.status, body: (await res.json()) as T };
}

describe('telemetry routes', () => {
  it('searches traces with query parameters', async () => {
    expect((await get<{ items: Array<{ traceId: string }> }>('/kl/v1/traces?service=payments&status=error&minDurationMs=50ms')).body.items.map((t) => t.traceId)).toEqual([TRACE]);
    expect((await get<{ items: unknown[] }>('/kl/v1/traces?attr=http.method=GET&since=5m')).body.items).toHaveLength(1);
    expect((await get<{ items: unknown[] }>('/kl/v1/traces?minDurationMs=1s')).body.items).toHaveLength(0);
    const bad = await get<{ message: string }>('/kl/v1/traces?status=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/status must be ok or error/);
  });

  it('returns one trace with parent ids, and 404 for an unknown one', async () => {
    const { body } = await get<{ spans: Array<{ name: string; parentSpanId?: string; service: string }> }>(`/kl/v1/traces/${TRACE}`);
    expect(body.spans.map((s) => [s.name, s.service, s.parentSpanId])).toEqual([
      ['GET /orders', 'orders', undefined],
      ['charge', 'payments', '01'.repeat(8)],
    ]);
    expect((await get(`/kl/v1/traces/${'cd'.repeat(16)}`)).status).toBe(404);
  });

  it('queries logs and metrics', async () => {
    expect((await get<{ items: Array<{ body: string }> }>(`/kl/v1/logs?function=payments&namespace=shop&level=warn&q=DECLINED&traceId=${TRACE}`)).body.items.map((l) => l.body)).toEqual(['card declined']);
    expect((await get<{ items: unknown[] }>('/kl/v1/logs?replica=other')).body.items).toHaveLength(0);
    expect((await get<{ message: string }>('/kl/v1/logs?level=loud')).status).toBe(400);
    expect((await get<{ items: Array<{ name: string }> }>('/kl/v1/metrics?function=payments')).body.items.map((m) => m.name)).toEqual(['function_calls_total']);
  });

  it('serves Prometheus text on /metrics', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(await res.text()).toContain('function_calls_total{function="payments"} 2');
  });

  it('streams new logs and spans as NDJSON', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${base}/kl/v1/telemetry/stream?kinds=logs,spans`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    telemetry.recordLog({ level: 'info', body: 'live one', resource: { function: 'orders' } });
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ type: 'log', body: 'live one', source: { function: 'orders' } });
  });

  it('exports and re-imports without duplicating', async () => {
    const exported = await (await fetch(`${base}/kl/v1/telemetry/export`)).text();
    const before = telemetry.stats();
    const res = await fetch(`${base}/kl/v1/telemetry/import`, { method: 'POST', body: exported });
    expect(await res.json()).toMatchObject({ spans: 0, logRecords: 0 });
    expect(telemetry.stats()).toMatchObject({ spans: before.spans, logRecords: before.logRecords });
    const broken = await fetch(`${base}/kl/v1/telemetry/import`, { method: 'POST', body: 'not json\n' });
    expect(broken.status).toBe(400);
  });
});

describe('waterfall', () => {
  it('indents children, shows offsets and durations, and scales bars to the width', () => {
    const trace = telemetry.getTrace(TRACE)!;
    const lines = renderWaterfall(trace, 80).split('\n');
    expect(lines[0]).toMatch(/^trace abab.* 120ms {2}2 spans$/);
    expect(lines[1]).toMatch(/^GET \/orders \[orders\]\s+\+0\.00ms 120ms {2}█+$/);
    expect(lines[2]).toMatch(/^ {2}! charge \[payments\]\s+\+20ms 60ms {2} +!+$/);
    expect(lines[3]).toBe('! charge: card declined');
    for (const l of lines.slice(1, 3)) expect(l.length).toBeLessThanOrEqual(80);
    const bar = (l: string): number => (l.match(/[█!]+$/)?.[0] ?? '').length;
    expect(bar(lines[2]!)).toBeCloseTo(bar(lines[1]!) / 2, -1);
  });
});
