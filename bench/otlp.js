// OTLP receiver throughput (a forked client process sends protobuf span batches as fast as they are accepted),
// heap bytes per stored span at 100k spans, and p95 latency of 100 varied trace searches at that size.
// Run with `npm run bench -- otlp`; re-executes itself with --expose-gc so heap figures are measured after gc().
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { percentile } from './lib-proc.js';

const round = (v) => Math.round(v * 100) / 100;

const self = fileURLToPath(import.meta.url);
const telemetryIndex = new URL('../dist/main/core/telemetry/index.js', import.meta.url).href;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const SPANS_PER_BATCH = 1000;
const SPANS_PER_TRACE = 10;
const SERVICES = ['orders', 'payments', 'shipping', 'inventory', 'gateway'];
const OPERATIONS = ['GET /orders', 'POST /orders', 'GET /orders/{id}', 'charge', 'reserve', 'ship', 'db.query', 'publish order.created.v1', 'deliver', 'render'];

function rootSpanId(trace) {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(trace * SPANS_PER_TRACE + 1, 4);
  return p;
}

/** A typical function span batch: 5 attributes (one unique URL), 10 spans per trace, ~2% errors. */
export function makeBatch(seq, baseMs) {
  const resourceSpans = SERVICES.map((service) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'k8s.namespace.name', value: { stringValue: 'default' } }] },
    scopeSpans: [{ scope: { name: 'io.kyma-project.serverless' }, spans: [] }],
  }));
  for (let i = 0; i < SPANS_PER_BATCH; i++) {
    const n = seq * SPANS_PER_BATCH + i;
    const trace = Math.floor(n / SPANS_PER_TRACE);
    const traceId = Buffer.alloc(16);
    traceId.writeUInt32BE(0x4b4c0000, 0);
    traceId.writeUInt32BE(trace >>> 0, 12);
    const spanId = Buffer.alloc(8);
    spanId.writeUInt32BE((n >>> 0) + 1, 4);
    const start = baseMs + trace * 3 + (n % SPANS_PER_TRACE);
    const dur = ((n * 7919) % 200) + (n % SPANS_PER_TRACE === 0 ? 200 : 1);
    const op = OPERATIONS[n % OPERATIONS.length];
    const span = {
      traceId,
      spanId,
      ...(n % SPANS_PER_TRACE === 0 ? {} : { parentSpanId: rootSpanId(trace) }),
      name: op,
      kind: n % SPANS_PER_TRACE === 0 ? 2 : 3,
      startTimeUnixNano: `${start}000000`,
      endTimeUnixNano: `${start + dur}000000`,
      attributes: [
        { key: 'http.method', value: { stringValue: op.startsWith('POST') ? 'POST' : 'GET' } },
        { key: 'http.route', value: { stringValue: '/orders/{id}' } },
        { key: 'http.status_code', value: { intValue: n % 50 === 0 ? 500 : 200 } },
        { key: 'http.url', value: { stringValue: `http://orders.default.svc.cluster.local/orders/${n}` } },
        { key: 'net.peer.name', value: { stringValue: 'orders.default.svc.cluster.local' } },
      ],
      status: { code: n % 50 === 0 ? 2 : 0 },
    };
    resourceSpans[n % SERVICES.length].scopeSpans[0].spans.push(span);
  }
  return { resourceSpans };
}

/** Byte offsets of the varying part (last 4 bytes) of every trace id in an encoded batch. */
function traceIdOffsets(buf) {
  const marker = Buffer.from([0x4b, 0x4c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const offsets = [];
  for (let i = buf.indexOf(marker); i >= 0; i = buf.indexOf(marker, i + 1)) offsets.push(i + 12);
  return offsets;
}

// The client encodes one batch with the protobuf encoder, then sends copies with fresh trace ids patched
// into the bytes, so the figure measures the receiver rather than the client's encoder.
async function client(url, seconds) {
  const { encodeOtlpProtobuf, OTLP_TRACES } = await import(telemetryIndex);
  const template = Buffer.from(encodeOtlpProtobuf(OTLP_TRACES, makeBatch(0, Date.now())));
  const offsets = traceIdOffsets(template);
  const tracesPerBatch = SPANS_PER_BATCH / SPANS_PER_TRACE;
  if (offsets.length !== SPANS_PER_BATCH) throw new Error(`found ${offsets.length} trace ids in the template batch, expected ${SPANS_PER_BATCH}`);
  const deadline = Date.now() + seconds * 1000;
  let seq = 0;
  let sent = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const body = Buffer.from(template);
      const shift = ++seq * tracesPerBatch;
      for (const o of offsets) body.writeUInt32BE((body.readUInt32BE(o) + shift) >>> 0, o);
      const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`receiver answered ${res.status}`);
      sent += SPANS_PER_BATCH;
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  process.send({ sent });
}

async function throughput() {
  const { createTelemetry, createOtlpReceiver } = await import(telemetryIndex);
  const telemetry = createTelemetry();
  const receiver = await createOtlpReceiver({ host: '127.0.0.1', port: 0, telemetry });
  const started = performance.now();
  const child = fork(self, ['--client', receiver.url, String(SECONDS)], { stdio: 'inherit' });
  const sent = await new Promise((resolve, reject) => {
    child.on('message', (m) => resolve(m.sent));
    child.on('exit', (code) => code !== 0 && reject(new Error(`bench client exited with ${code}`)));
  });
  const elapsed = (performance.now() - started) / 1000;
  await receiver.close();
  const s = telemetry.stats();
  const stored = s.spans + s.evictedSpans;
  if (stored !== sent) throw new Error(`client sent ${sent} spans but the receiver stored ${stored}`);
  return stored / elapsed;
}

async function fillAndSearch() {
  const { createTelemetry, encodeOtlpProtobuf, OTLP_TRACES } = await import(telemetryIndex);
  const { createRequire } = await import('node:module');
  // Decode the same way the receiver does, so stored strings come from protobuf decoding, not literals.
  const root = createRequire(import.meta.url)('otlp-transformer-protobuf/build/src/generated/root.js');
  const Req = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  const total = 100_000;
  const telemetry = createTelemetry({ retention: { maxTraces: 1e6, maxSpans: 1e6, maxSpanBytes: 4e9 } });
  const base = Date.now() - 3_600_000;
  telemetry.ingestSpans(Req.decode(encodeOtlpProtobuf(OTLP_TRACES, makeBatch(total / SPANS_PER_BATCH + 1, base)))); // warm interners and code
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const storedBefore = telemetry.stats().spans;
  for (let seq = 0; seq < total / SPANS_PER_BATCH; seq++) telemetry.ingestSpans(Req.decode(encodeOtlpProtobuf(OTLP_TRACES, makeBatch(seq, base))));
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  const stored = telemetry.stats().spans - storedBefore;
  const bytesPerSpan = (after - before) / stored;

  const queries = [];
  for (let i = 0; i < 100; i++) {
    const q = { limit: i % 2 ? 20 : 100 };
    if (i % 3 === 0) q.service = SERVICES[i % SERVICES.length];
    if (i % 4 === 0) q.operation = OPERATIONS[i % OPERATIONS.length];
    if (i % 5 === 0) q.minDurationMs = 150 + (i % 7) * 10;
    if (i % 6 === 0) q.status = 'error';
    if (i % 7 === 0) q.attributes = { 'http.status_code': i % 14 ? '500' : '404' }; // 404 matches nothing: a full scan
    if (i % 9 === 0) q.since = base + (i % 5) * 60_000;
    queries.push(q);
  }
  const times = [];
  let found = 0;
  for (const q of queries) {
    const t = performance.now();
    found += telemetry.searchTraces(q).length;
    times.push(performance.now() - t);
  }
  if (found === 0) throw new Error('searches found nothing: the benchmark data or the queries are wrong');
  return { stored, bytesPerSpan, p95: percentile(times, 95) };
}

if (process.argv[2] === '--client') {
  await client(process.argv[3], Number(process.argv[4]));
} else if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', self], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} else {
  const spansPerS = await throughput();
  const { stored, bytesPerSpan, p95 } = await fillAndSearch();
  console.error(`throughput ${Math.round(spansPerS)} spans/s over ${SECONDS}s; ${stored} spans stored at ${Math.round(bytesPerSpan)} B/span; search p95 ${p95.toFixed(2)} ms`);
  console.log(JSON.stringify({ bench: 'otlp', spans_per_s: Math.round(spansPerS), bytes_per_span: round(bytesPerSpan), search_ms_p95: round(p95) }));
}
