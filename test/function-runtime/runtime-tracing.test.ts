// Tracing and trace-attributed logs: a real OTLP/HTTP receiver stub records what the worker's exporter sends.
import { HTTP, CloudEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GREET_MODULE, SWITCHBOARD } from './handlers.js';
import { startRecorder, type Recorded, type Recorder } from './recorder.js';
import { ensureBuilt, startWorker, type Worker } from './worker.js';

interface OtlpAttr {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttr[];
  status?: { code?: number; message?: string };
}
interface ExportedSpan extends OtlpSpan {
  serviceName: string | undefined;
}

/** Decodes an OTLP/HTTP JSON export request (the http exporter's encoding). */
function spansOf(r: Recorded): ExportedSpan[] {
  if (r.url !== '/v1/traces') return [];
  expect(r.headers['content-type']).toMatch(/application\/json/);
  const body = JSON.parse(r.body.toString()) as {
    resourceSpans: { resource: { attributes: OtlpAttr[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
  };
  return body.resourceSpans.flatMap((rs) => {
    const serviceName = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
    return rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, serviceName })));
  });
}

const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value;

let worker: Worker;
let collector: Recorder;
let publisher: Recorder;

beforeAll(async () => {
  await ensureBuilt();
  collector = await startRecorder((_r, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  publisher = await startRecorder();
  worker = await startWorker(
    { 'handler.js': SWITCHBOARD, 'node_modules/greet/index.js': GREET_MODULE },
    {
      FUNC_NAME: 'traced-fn',
      TRACE_COLLECTOR_ENDPOINT: `${collector.url}/v1/traces`,
      PUBLISHER_PROXY_ADDRESS: `${publisher.url}/publish`,
      KYMA_LOCAL_LOG_FORMAT: 'json',
    },
  );
});

afterAll(async () => {
  await worker?.stop();
  await collector?.close();
  await publisher?.close();
});

const waitForSpan = async (pred: (s: ExportedSpan) => boolean): Promise<ExportedSpan> => {
  const r = await collector.waitFor((req) => spansOf(req).some(pred));
  return spansOf(r).find(pred)!;
};

describe('tracing', () => {
  it('exports a server span in the incoming W3C trace, named and attributed like upstream', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    await fetch(`${worker.url}/healthz`);
    const res = await fetch(`${worker.url}/string?x=1`, { headers: { traceparent: `00-${traceId}-${parent}-01` } });
    expect(res.status).toBe(200);
    const span = await waitForSpan((s) => s.traceId === traceId);
    expect(span.parentSpanId).toBe(parent);
    expect(span.name).toBe('GET /string');
    expect(span.kind).toBe(2); // SERVER
    expect(span.serviceName).toBe('traced-fn');
    expect(attr(span, 'http.method')?.stringValue).toBe('GET');
    expect(attr(span, 'http.target')?.stringValue).toBe('/string?x=1');
    expect(Number(attr(span, 'http.status_code')?.intValue)).toBe(200);
  });

  it('does not trace /healthz or /metrics', async () => {
    await fetch(`${worker.url}/metrics`);
    const marker = '11111111111111111111111111111111';
    await fetch(`${worker.url}/string`, { headers: { traceparent: `00-${marker}-00f067aa0ba902b7-01` } });
    await waitForSpan((s) => s.traceId === marker);
    const all = collector.requests.flatMap(spansOf);
    expect(all.filter((s) => /healthz|metrics/.test(s.name))).toEqual([]);
  });

  it('honours B3 multi-header propagation', async () => {
    const traceId = '80f198ee56343ba864fe8b2a57d3eff7';
    await fetch(`${worker.url}/string`, {
      headers: { 'X-B3-TraceId': traceId, 'X-B3-SpanId': 'e457b5a2e4d86bd1', 'X-B3-Sampled': '1' },
    });
    const span = await waitForSpan((s) => s.traceId === traceId);
    expect(span.parentSpanId).toBe('e457b5a2e4d86bd1');
  });

  it('starts a new trace without incoming context (AlwaysOn root)', async () => {
    const before = collector.requests.length;
    await fetch(`${worker.url}/zero`);
    const span = await waitForSpan((s) => s.name === 'GET /zero');
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.parentSpanId ?? '').toBe('');
    expect(collector.requests.length).toBeGreaterThan(before);
  });

  it('marks a failing function span as error with the error text', async () => {
    const traceId = '22222222222222222222222222222222';
    await fetch(`${worker.url}/throw-string`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const span = await waitForSpan((s) => s.traceId === traceId && s.kind === 2);
    expect(span.status?.code).toBe(2); // ERROR
    expect(span.status?.message).toBe('bad input');
    expect(attr(span, 'error')?.stringValue).toBe('bad input');
  });

  it('propagates the trace through emitCloudEvent to the publisher', async () => {
    const traceId = '33333333333333333333333333333333';
    await fetch(`${worker.url}/emit`, { method: 'POST', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const got = await publisher.waitFor((r) => String(r.headers.traceparent).includes(traceId));
    expect(got.headers['x-b3-traceid']).toBe(traceId);
    expect((HTTP.toEvent({ headers: got.headers, body: got.body.toString() }) as CloudEvent<unknown>).type).toBe('order.created.v1');
    const client = await waitForSpan((s) => s.traceId === traceId && s.kind === 3); // CLIENT
    expect(String(got.headers.traceparent).split('-')[2]).toBe(client.spanId);
  });
});

describe('outgoing calls of the function', () => {
  it('carry the request trace (W3C and B3) on fetch and http.get', async () => {
    const traceId = '55555555555555555555555555555555';
    const res = await fetch(`${worker.url}/call-out`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${publisher.url}/callee` }),
    });
    expect(await res.text()).toBe('called');
    const server = await waitForSpan((s) => s.traceId === traceId);
    for (const via of ['fetch', 'http']) {
      const got = await publisher.waitFor((r) => r.url === `/callee?via=${via}`);
      expect(got.headers.traceparent, JSON.stringify(got.headers)).toBe(`00-${traceId}-${server.spanId}-01`);
      expect(got.headers['x-b3-traceid']).toBe(traceId);
    }
  });

  it('do not carry a trace outside a request (no traceparent on the OTLP export itself)', () => {
    expect(collector.requests.length).toBeGreaterThan(0);
    expect(collector.requests.filter((r) => r.headers.traceparent !== undefined)).toEqual([]);
  });
});

describe('JSON log lines (KYMA_LOCAL_LOG_FORMAT=json)', () => {
  it('tags console output written during a request with its trace and span ids, across awaits', async () => {
    const traceId = '44444444444444444444444444444444';
    await fetch(`${worker.url}/log`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const server = await waitForSpan((s) => s.traceId === traceId);
    const info = JSON.parse(await worker.waitForLine(/inside request/));
    expect(info).toMatchObject({ level: 'info', msg: 'inside request 42', trace_id: traceId, span_id: server.spanId });
    expect(typeof info.time).toBe('string');
    const warn = JSON.parse(worker.stderr.find((l) => l.includes('after await'))!);
    expect(warn).toMatchObject({ level: 'warn', msg: 'after await', trace_id: traceId, span_id: server.spanId });
  });

  it('writes lines outside requests without trace ids', async () => {
    const line = JSON.parse(await worker.waitForLine(/user code loaded/));
    expect(line.level).toBe('info');
    expect(line.trace_id).toBeUndefined();
  });
});
