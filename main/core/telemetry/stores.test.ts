import { describe, expect, it } from 'vitest';
import { createTelemetry } from './telemetry.js';
import type { OtlpSpan, OtlpTraceRequest } from './otlp-types.js';

const T0 = 1_700_000_000_000;
const hex = (n: number, bytes: number): string => n.toString(16).padStart(bytes * 2, '0');

function span(trace: number, id: number, opts: Partial<OtlpSpan> & { startMs?: number; durMs?: number } = {}): OtlpSpan {
  const start = opts.startMs ?? T0 + trace;
  return {
    traceId: hex(trace + 1, 16),
    spanId: hex(id + 1, 8),
    name: 'op',
    startTimeUnixNano: `${start}000000`,
    endTimeUnixNano: `${start + (opts.durMs ?? 1)}000000`,
    ...opts,
  };
}

function req(service: string, spans: OtlpSpan[]): OtlpTraceRequest {
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] };
}

describe('span store', () => {
  it('evicts the oldest traces past maxTraces and counts what it evicted', () => {
    const t = createTelemetry({ retention: { maxTraces: 3 } });
    for (let i = 0; i < 5; i++) t.ingestSpans(req('a', [span(i, 0), span(i, 1, { parentSpanId: hex(1, 8) })]));
    const s = t.stats();
    expect(s).toMatchObject({ traces: 3, spans: 6, evictedTraces: 2, evictedSpans: 4 });
    expect(t.getTrace(hex(1, 16))).toBeUndefined();
    expect(t.searchTraces().map((x) => x.traceId)).toEqual([hex(5, 16), hex(4, 16), hex(3, 16)]);
  });

  it('bounds the total span count and the spans of one trace (rejecting, not evicting, the excess)', () => {
    const t = createTelemetry({ retention: { maxSpans: 10, maxSpansPerTrace: 4 } });
    const r = t.ingestSpans(req('a', [0, 1, 2, 3, 4, 5].map((i) => span(0, i))));
    expect(r).toMatchObject({ accepted: 4, rejected: 2 });
    expect(r.errorMessage).toMatch(/maxSpansPerTrace/);
    for (let i = 1; i <= 4; i++) t.ingestSpans(req('a', [span(i, 0), span(i, 1), span(i, 2)]));
    const s = t.stats();
    expect(s.spans).toBeLessThanOrEqual(10);
    expect(s.rejectedSpans).toBe(2);
    expect(s.evictedSpans + s.spans).toBe(4 + 12);
  });

  it('bounds approximate bytes', () => {
    const t = createTelemetry({ retention: { maxSpanBytes: 20_000 } });
    for (let i = 0; i < 200; i++) t.ingestSpans(req('a', [span(i, 0, { attributes: [{ key: 'k', value: { stringValue: 'x'.repeat(100) } }] })]));
    expect(t.stats().spanBytes).toBeLessThanOrEqual(20_000);
    expect(t.stats().evictedTraces).toBeGreaterThan(0);
  });

  it('ignores a span sent twice (exporter retry) and keeps late spans in their trace', () => {
    const t = createTelemetry();
    t.ingestSpans(req('a', [span(0, 0)]));
    const again = t.ingestSpans(req('b', [span(0, 0), span(0, 1, { parentSpanId: hex(1, 8), startMs: T0 + 5, durMs: 10 })]));
    expect(again).toMatchObject({ accepted: 1, rejected: 0 });
    expect(t.getTrace(hex(1, 16))).toMatchObject({ spanCount: 2, services: ['a', 'b'], rootService: 'a', durationMs: 15 });
  });

  it('searches by service, operation, duration, status, attribute and time range', () => {
    const t = createTelemetry();
    t.ingestSpans(req('orders', [span(0, 0, { name: 'GET /orders', durMs: 80, attributes: [{ key: 'http.status_code', value: { intValue: 200 } }] })]));
    t.ingestSpans(req('orders', [span(1, 0, { name: 'POST /orders', durMs: 5, status: { code: 2, message: 'boom' } })]));
    t.ingestSpans(req('payments', [span(2, 0, { name: 'charge', durMs: 300, startMs: T0 + 10_000 })]));
    const ids = (q: Parameters<typeof t.searchTraces>[0]): string[] => t.searchTraces(q).map((x) => x.rootName);
    expect(ids({ service: 'orders' })).toEqual(['POST /orders', 'GET /orders']);
    expect(ids({ operation: 'charge' })).toEqual(['charge']);
    expect(ids({ minDurationMs: 50 })).toEqual(['charge', 'GET /orders']);
    expect(ids({ service: 'orders', minDurationMs: 100 })).toEqual([]);
    expect(ids({ status: 'error' })).toEqual(['POST /orders']);
    expect(ids({ status: 'ok', service: 'orders' })).toEqual(['GET /orders']);
    expect(ids({ attributes: { 'http.status_code': '200' } })).toEqual(['GET /orders']);
    expect(ids({ since: T0 + 5_000 })).toEqual(['charge']);
    expect(ids({ until: T0 + 5_000, limit: 1 })).toEqual(['POST /orders']);
  });

  it('streams stored spans to listeners until they unsubscribe', () => {
    const t = createTelemetry();
    const got: string[] = [];
    const off = t.onSpans((spans) => got.push(...spans.map((s) => s.name)));
    t.ingestSpans(req('a', [span(0, 0, { name: 'first' })]));
    off();
    t.ingestSpans(req('a', [span(1, 0, { name: 'second' })]));
    expect(got).toEqual(['first']);
  });
});

describe('log store', () => {
  it('records platform logs with their source and queries them', () => {
    const t = createTelemetry({ retention: { maxLogRecords: 3 } });
    const seen: string[] = [];
    t.onLogs((l) => seen.push(...l.map((x) => x.body)));
    const resource = { function: 'orders', namespace: 'default', replica: 'orders-1', revision: '2' };
    t.recordLog({ time: T0, level: 'info', body: 'started', resource });
    t.recordLog({ time: T0 + 1, level: 'error', body: 'Timeout calling payments', resource, traceId: 'AB'.repeat(16), spanId: 'cd'.repeat(8) });
    t.recordLog({ time: T0 + 2, level: 'debug', body: 'tick', resource: { ...resource, replica: 'orders-2' } });
    t.recordLog({ time: T0 + 3, level: 'warn', body: 'slow', resource: { function: 'payments' } });
    expect(t.stats()).toMatchObject({ logRecords: 3, evictedLogRecords: 1 });
    expect(seen).toEqual(['started', 'Timeout calling payments', 'tick', 'slow']);
    expect(t.queryLogs({ function: 'orders' }).map((l) => l.body)).toEqual(['Timeout calling payments', 'tick']);
    expect(t.queryLogs({ level: 'warn' }).map((l) => l.body)).toEqual(['Timeout calling payments', 'slow']);
    expect(t.queryLogs({ text: 'TIMEOUT' })[0]).toMatchObject({ level: 'error', traceId: 'ab'.repeat(16), source: { function: 'orders', replica: 'orders-1', revision: '2', namespace: 'default' } });
    expect(t.queryLogs({ traceId: 'ab'.repeat(16) })).toHaveLength(1);
    expect(t.queryLogs({ replica: 'orders-2' }).map((l) => l.body)).toEqual(['tick']);
    expect(t.queryLogs({ since: T0 + 2, until: T0 + 2 }).map((l) => l.body)).toEqual(['tick']);
    expect(t.queryLogs({ limit: 1 }).map((l) => l.body)).toEqual(['slow']);
  });

  it('sorts records that arrive slightly out of time order into place, and appends old stragglers', () => {
    const t = createTelemetry({ retention: { maxLogRecords: 1000 } });
    const resource = { function: 'orders' };
    t.recordLog({ time: T0 + 2, level: 'info', body: 'second', resource });
    t.recordLog({ time: T0 + 1, level: 'info', body: 'first', resource });
    t.recordLog({ time: T0 + 3, level: 'info', body: 'third', resource });
    expect(t.queryLogs({}).map((l) => l.body)).toEqual(['first', 'second', 'third']);
    for (let i = 0; i < 300; i++) t.recordLog({ time: T0 + 10 + i, level: 'info', body: `n${i}`, resource });
    t.recordLog({ time: T0, level: 'info', body: 'straggler', resource });
    expect(t.queryLogs({ limit: 1 }).map((l) => l.body)).toEqual(['straggler']);
  });
});

describe('metric store', () => {
  it('keeps counters, gauges and histograms per function and writes Prometheus text', () => {
    const t = createTelemetry({ retention: { maxMetricPoints: 5 } });
    t.recordMetric('function_calls_total', 'counter', 1, { function: 'orders' }, { help: 'Number of calls' });
    t.recordMetric('function_calls_total', 'counter', 2, { function: 'orders' });
    t.recordMetric('replicas', 'gauge', 3, { function: 'orders' });
    t.recordMetric('function_duration_ms', 'histogram', 7, { function: 'orders', code: '200' }, { buckets: [5, 10] });
    t.recordMetric('function_duration_ms', 'histogram', 70, { function: 'orders', code: '200' });
    t.recordMetric('platform_internal', 'gauge', 1, {});
    // Counter and histogram records within one second share a point (the latest cumulative value).
    expect(t.stats()).toMatchObject({ metricPoints: 4, evictedMetricPoints: 0 });
    expect(t.queryMetrics({ function: 'orders', name: 'function_calls_total' })[0]!.points.map((p) => p.value)).toEqual([3]);
    const text = t.prometheusText();
    expect(text).toContain('# HELP function_calls_total Number of calls\n# TYPE function_calls_total counter\nfunction_calls_total{function="orders"} 3\n');
    expect(text).toContain('replicas{function="orders"} 3');
    expect(text).toContain('function_duration_ms_bucket{function="orders",code="200",le="5"} 0');
    expect(text).toContain('function_duration_ms_bucket{function="orders",code="200",le="10"} 1');
    expect(text).toContain('function_duration_ms_bucket{function="orders",code="200",le="+Inf"} 2');
    expect(text).toContain('function_duration_ms_sum{function="orders",code="200"} 77');
    expect(text).not.toContain('platform_internal');
    expect(() => t.recordMetric('x', 'counter', -1)).toThrow(/cannot decrease/);
  });
});

describe('export and import', () => {
  it('round-trips spans, logs and metrics as OTLP/JSON lines and merges without duplicates', () => {
    const a = createTelemetry();
    a.ingestSpans(req('orders', [span(0, 0, { name: 'root', attributes: [{ key: 'n', value: { doubleValue: 1.5 } }], events: [{ name: 'e', timeUnixNano: `${T0}000000` }] }), span(0, 1, { parentSpanId: hex(1, 8), kind: 3, status: { code: 2, message: 'x' } })]));
    a.recordLog({ time: T0, level: 'warn', body: 'careful', resource: { function: 'orders', replica: 'r1' }, attributes: { k: 'v' } });
    a.recordMetric('calls_total', 'counter', 4, { function: 'orders' });
    a.recordMetric('lat', 'histogram', 12, { function: 'orders' });
    const text = a.exportJsonLines();
    expect(text.trim().split('\n').map((l) => Object.keys(JSON.parse(l) as object)[0])).toEqual(['resourceSpans', 'resourceLogs', 'resourceMetrics']);

    const b = createTelemetry();
    b.ingestSpans(req('orders', [span(0, 0, { name: 'root' })])); // already there: must not double
    const r = b.importJsonLines(text);
    expect(r).toMatchObject({ spans: 1, logRecords: 1, lines: 3 });
    expect(b.importJsonLines(text)).toMatchObject({ spans: 0, logRecords: 0 });
    const trace = b.getTrace(hex(1, 16))!;
    expect(trace.spanCount).toBe(2);
    const original = a.getTrace(hex(1, 16))!;
    const child = trace.spans.find((s) => s.spanId === hex(2, 8))!;
    expect(child).toEqual(original.spans.find((s) => s.spanId === hex(2, 8)));
    expect(b.queryLogs()).toEqual(a.queryLogs());
    expect(b.queryMetrics({ name: 'calls_total' })[0]!.points.map((p) => p.value)).toEqual([4]);
    expect(b.queryMetrics({ name: 'lat' })[0]!.points.at(-1)!.histogram).toMatchObject({ count: 1, sum: 12 });
    expect(b.prometheusText()).toBe(a.prometheusText());
    expect(() => b.importJsonLines('{"nope": 1}')).toThrow(/line 1 has none of/);
  });
});
