// The OpenTelemetry JS SDK's own OTLP exporters (protobuf and JSON, plain and gzip) against a real receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { createOtlpReceiver, createTelemetry, encodeOtlpProtobuf, OTLP_TRACES, type OtlpReceiver, type Telemetry } from '../../main/core/telemetry/index.js';

let telemetry: Telemetry;
let receiver: OtlpReceiver;

beforeAll(async () => {
  telemetry = createTelemetry();
  receiver = await createOtlpReceiver({ host: '127.0.0.1', port: 0, telemetry });
});
afterAll(async () => {
  await receiver.close();
});

const resource = (service: string) => resourceFromAttributes({ 'service.name': service, 'k8s.namespace.name': 'default', 'faas.instance': `${service}-r1`, 'faas.version': '3' });

async function sendSpans(exporter: SpanExporter, service: string): Promise<string> {
  const provider = new BasicTracerProvider({ resource: resource(service), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  let traceId = '';
  // No context manager is registered here, so the parent is passed explicitly.
  {
    const root = tracer.startSpan('GET /orders', { kind: 1 });
    traceId = root.spanContext().traceId;
    root.setAttribute('http.route', '/orders');
    root.setAttribute('http.status_code', 500);
    const child = tracer.startSpan('db.query', {}, trace.setSpan(context.active(), root));
    child.addEvent('retry', { attempt: 2 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
    child.end();
    root.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}

describe('OTLP/HTTP traces from the OpenTelemetry SDK', () => {
  const cases: Array<[string, (url: string) => SpanExporter]> = [
    ['protobuf', (url) => new ProtoTraceExporter({ url })],
    ['protobuf+gzip', (url) => new ProtoTraceExporter({ url, compression: CompressionAlgorithm.GZIP })],
    ['json', (url) => new JsonTraceExporter({ url })],
    ['json+gzip', (url) => new JsonTraceExporter({ url, compression: CompressionAlgorithm.GZIP })],
  ];
  for (const [name, make] of cases) {
    it(`stores what a ${name} exporter sends and finds it by query`, async () => {
      const service = `svc-${name}`;
      const traceId = await sendSpans(make(`${receiver.url}/v1/traces`), service);
      const found = telemetry.searchTraces({ service });
      expect(found.map((t) => t.traceId)).toEqual([traceId]);
      expect(found[0]).toMatchObject({ rootName: 'GET /orders', rootService: service, spanCount: 2, error: true, services: [service] });
      const trace = telemetry.getTrace(traceId)!;
      const root = trace.spans.find((s) => s.name === 'GET /orders')!;
      const child = trace.spans.find((s) => s.name === 'db.query')!;
      expect(child.parentSpanId).toBe(root.spanId);
      expect(root.attributes).toMatchObject({ 'http.route': '/orders', 'http.status_code': 500 });
      expect(child.status).toEqual({ code: 'error', message: 'connection reset' });
      expect(child.events[0]).toMatchObject({ name: 'retry', attributes: { attempt: 2 } });
      expect(root.resource).toMatchObject({ 'service.name': service, 'k8s.namespace.name': 'default' });
      expect(telemetry.searchTraces({ service, operation: 'db.query', status: 'error' })).toHaveLength(1);
      expect(telemetry.searchTraces({ service, attributes: { 'http.status_code': '500' } })).toHaveLength(1);
      expect(telemetry.searchTraces({ service, attributes: { 'http.status_code': '200' } })).toHaveLength(0);
      expect(telemetry.searchTraces({ service, status: 'ok' })).toHaveLength(0);
    });
  }
});

async function sendLogs(exporter: LogRecordExporter, service: string): Promise<void> {
  const provider = new LoggerProvider({ resource: resource(service), processors: [new SimpleLogRecordProcessor(exporter)] });
  const logger = provider.getLogger('test');
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'order 42 accepted', attributes: { order: 42 } });
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'Payment FAILED for order 42' });
  await provider.forceFlush();
  await provider.shutdown();
}

describe('OTLP/HTTP logs from the OpenTelemetry SDK', () => {
  for (const [name, make] of [
    ['protobuf', (url: string) => new ProtoLogExporter({ url, compression: CompressionAlgorithm.GZIP })],
    ['json', (url: string) => new JsonLogExporter({ url })],
  ] as const) {
    it(`stores ${name} log records with their function, replica and revision`, async () => {
      const fn = `logs-${name}`;
      await sendLogs(make(`${receiver.url}/v1/logs`), fn);
      const all = telemetry.queryLogs({ function: fn });
      expect(all.map((l) => l.body)).toEqual(['order 42 accepted', 'Payment FAILED for order 42']);
      expect(all[0]).toMatchObject({ level: 'info', attributes: { order: 42 }, source: { function: fn, namespace: 'default', replica: `${fn}-r1`, revision: '3' } });
      expect(telemetry.queryLogs({ function: fn, level: 'warn' }).map((l) => l.body)).toEqual(['Payment FAILED for order 42']);
      expect(telemetry.queryLogs({ function: fn, text: 'payment failed' })).toHaveLength(1);
      expect(telemetry.queryLogs({ replica: `${fn}-r1`, revision: '3' })).toHaveLength(2);
    });
  }
});

async function sendMetrics(exporter: PushMetricExporter, service: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resource(service), readers: [reader] });
  const meter = provider.getMeter('test');
  meter.createCounter('orders_total', { description: 'orders taken' }).add(3, { outcome: 'ok' });
  meter.createHistogram('latency_ms').record(42);
  meter.createGauge('queue_depth').record(7);
  await reader.forceFlush();
  await provider.shutdown();
}

describe('OTLP/HTTP metrics from the OpenTelemetry SDK', () => {
  for (const [name, make] of [
    ['protobuf', (url: string) => new ProtoMetricExporter({ url })],
    ['json', (url: string) => new JsonMetricExporter({ url, compression: CompressionAlgorithm.GZIP })],
  ] as const) {
    it(`stores ${name} counters, histograms and gauges and exposes them to Prometheus`, async () => {
      const fn = `metrics_${name}`;
      await sendMetrics(make(`${receiver.url}/v1/metrics`), fn);
      const series = telemetry.queryMetrics({ function: fn });
      const byName = Object.fromEntries(series.map((s) => [s.name, s]));
      expect(byName.orders_total).toMatchObject({ kind: 'counter', labels: { outcome: 'ok' } });
      expect(byName.orders_total!.points.at(-1)!.value).toBe(3);
      expect(byName.latency_ms!.points.at(-1)!.histogram).toMatchObject({ count: 1, sum: 42 });
      expect(byName.queue_depth!.points.at(-1)!.value).toBe(7);
      const text = telemetry.prometheusText();
      expect(text).toContain(`orders_total{function="${fn}",outcome="ok"} 3`);
      expect(text).toContain(`latency_ms_count{function="${fn}"} 1`);
      expect(text).toContain(`queue_depth{function="${fn}"} 7`);
    });
  }
});

describe('malformed and partial requests', () => {
  it('answers a broken protobuf body with 400 and a protobuf Status naming the problem', async () => {
    const res = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff, 0x01]) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body[0]).toBe(0x08); // field 1 (code), varint
    expect(body[1]).toBe(3); // INVALID_ARGUMENT
    expect(body.toString('utf8')).toContain('not a valid protobuf ExportTraceServiceRequest');
  });

  it('answers invalid JSON with 400 and a JSON reason', async () => {
    const res = await fetch(`${receiver.url}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceLogs": [' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/not valid JSON/);
  });

  it('answers a wrong shape, a corrupt gzip body and an unknown content type with 4xx', async () => {
    const shape = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceSpans": 5}' });
    expect(shape.status).toBe(400);
    const nested = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceSpans": [{"scopeSpans": 5}]}' });
    expect(nested.status).toBe(400);
    expect(((await nested.json()) as { message: string }).message).toMatch(/malformed OTLP request/);
    const gz = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: 'not gzip' });
    expect(gz.status).toBe(400);
    const type = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expect(type.status).toBe(415);
  });

  it('accepts the good spans of a batch and reports the rejected ones as partial success', async () => {
    const good = { traceId: 'aa'.repeat(16), spanId: 'bb'.repeat(8), name: 'ok', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000' };
    const bad = { ...good, traceId: '00'.repeat(16), name: 'bad' };
    const body = gzipSync(JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [good, bad] }] }] }));
    const res = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe(1);
    expect(answer.partialSuccess.errorMessage).toMatch(/invalid traceId/);
    expect(telemetry.getTrace('aa'.repeat(16))!.spans).toHaveLength(1);
  });

  it('answers a fully accepted protobuf batch with an empty protobuf response', async () => {
    const body = encodeOtlpProtobuf(OTLP_TRACES, { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, 1), name: 'p', startTimeUnixNano: 1, endTimeUnixNano: 2 }] }] }] });
    const res = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(telemetry.getTrace('07'.repeat(16))!.spans[0]!.name).toBe('p');
  });
});
