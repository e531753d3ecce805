/**
 * Property-based fuzzing (fast-check) of the three doors that take arbitrary input: the resource API (create,
 * update and patch with random objects and patches), the publisher proxy (random CloudEvents, headers, bodies)
 * and the OTLP receiver (random JSON and protobuf bytes). After every case the daemon answers /healthz and the
 * answer was not a 5xx; at the end, objects no case targeted are unchanged. Bounded in count (seeded, so a
 * failure replays) and prints `fuzz: N cases, 0 failures`.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, type TestHome } from '../helpers/cli.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261129);
const SCALE = Number(process.env['FUZZ_SCALE'] ?? 1);
const RUNS = { resources: Math.ceil(900 * SCALE), publisher: Math.ceil(800 * SCALE), otlp: Math.ceil(500 * SCALE) };

let home: TestHome;
let base: string;
let publisher: string;
let otlp: string;
let auth: Record<string, string>;
let cases = 0;
let failures = 0;
const sentinels: Array<{ path: string; body: unknown }> = [];

const CM = '/api/v1/namespaces/default/configmaps';
const KINDS = [
  { path: CM, apiVersion: 'v1', kind: 'ConfigMap' },
  { path: '/api/v1/namespaces/default/secrets', apiVersion: 'v1', kind: 'Secret' },
  { path: '/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions', apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function' },
  { path: '/apis/eventing.kyma-project.io/v1alpha2/namespaces/default/subscriptions', apiVersion: 'eventing.kyma-project.io/v1alpha2', kind: 'Subscription' },
  { path: '/apis/gateway.kyma-project.io/v2/namespaces/default/apirules', apiVersion: 'gateway.kyma-project.io/v2', kind: 'APIRule' },
];

async function send(url: string, init: RequestInit): Promise<number> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return res.status;
}

/** One fuzz case: every answer below 500 and the daemon still healthy. */
async function fuzzCase(requests: () => Promise<number[]>): Promise<void> {
  cases++;
  const statuses = await requests();
  const healthy = await send(`${base}/healthz`, {});
  if (statuses.some((s) => s >= 500) || healthy !== 200) {
    failures++;
    throw new Error(`answers ${JSON.stringify(statuses)}, /healthz ${healthy}`);
  }
}

beforeAll(async () => {
  home = await createTestHome();
  await home.cli(['up', '--profile', await home.profile({ modules: ['telemetry', 'eventing'] })]);
  const status = await statusJson(home);
  base = status.daemon!.url;
  auth = { authorization: `Bearer ${apiToken(home)}` };
  const comps = status.cluster!.components;
  publisher = comps.find((c) => c.name === 'eventing')!.urls!['publisher']!.replace(/\/publish$/, '');
  otlp = comps.find((c) => c.name === 'telemetry')!.message!.replace('OTLP/HTTP on ', '');
  for (const [i, body] of [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sentinel', namespace: 'default' }, data: { keep: 'me' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sentinel', namespace: 'default' }, data: { k: 'dg==' } },
  ].entries()) {
    const res = await fetch(`${base}${KINDS[i]!.path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    sentinels.push({ path: `${KINDS[i]!.path}/sentinel`, body: await res.json() });
  }
  await send(`${base}${CM}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' }, data: { a: '1' } }) });
});

afterAll(async () => {
  console.log(`fuzz: ${cases} cases, ${failures} failures (seed ${SEED})`);
  await home?.cleanup();
});

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', '%zz', '../..', 'a'.repeat(5000), '\u0000', '\r\n', '~1', '-', '0', '999'),
);
const name = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/), nasty);
const json = fc.jsonValue({ maxDepth: 4 });
const dict = fc.dictionary(nasty, fc.oneof(fc.string(), json), { maxKeys: 6 });

const resourceBody = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom(...KINDS.map((k) => k.apiVersion)), nasty),
    kind: fc.oneof(fc.constantFrom(...KINDS.map((k) => k.kind)), nasty),
    metadata: fc.oneof(fc.record({ name, namespace: fc.oneof(fc.constant('default'), nasty), labels: dict, annotations: dict }, { requiredKeys: ['name'] }), json),
    spec: json,
    data: dict,
    stringData: dict,
    status: json,
  },
  { requiredKeys: [] },
);

const pointer = fc.array(nasty, { maxLength: 4 }).map((segs) => '/' + segs.join('/'));
const jsonPatchOp = fc.record({ op: fc.oneof(fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'), nasty), path: fc.oneof(pointer, nasty), from: fc.oneof(pointer, nasty), value: json }, { requiredKeys: ['op'] });

describe('fuzz', () => {
  it('resource API: random create, update, merge and JSON patches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS),
        fc.constantFrom('create', 'update', 'merge', 'json', 'raw', 'dry-run'),
        resourceBody,
        fc.array(jsonPatchOp, { maxLength: 4 }),
        fc.oneof(fc.string({ maxLength: 200 }), fc.constant('{"a":'.repeat(300))),
        async (kind, action, body, ops, raw) => {
          const headers = { ...auth, 'content-type': 'application/json' };
          await fuzzCase(async () => {
            switch (action) {
              case 'create':
                return [await send(`${base}${kind.path}`, { method: 'POST', headers, body: JSON.stringify(body) })];
              case 'dry-run':
                return [await send(`${base}${kind.path}?dryRun=All`, { method: 'POST', headers, body: JSON.stringify(body) })];
              case 'update':
                return [await send(`${base}${CM}/target`, { method: 'PUT', headers, body: JSON.stringify(body) })];
              case 'merge':
                return [await send(`${base}${CM}/target`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(body) })];
              case 'json':
                return [await send(`${base}${CM}/target`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json-patch+json' }, body: JSON.stringify(ops) })];
              default:
                return [await send(`${base}${kind.path}/${encodeURIComponent(raw.slice(0, 50))}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/merge-patch+json' }, body: raw })];
            }
          });
        },
      ),
      { numRuns: RUNS.resources, seed: SEED, endOnFailure: true },
    );
    for (const s of sentinels) {
      const res = await fetch(`${base}${s.path}`, { headers: auth });
      expect(await res.json()).toEqual(s.body);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('publisher proxy: random CloudEvents, headers and bodies', async () => {
    const ceHeaders = fc.dictionary(fc.constantFrom('ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'ce-subject', 'ce-time', 'ce-traceparent', 'content-type', 'ce-x'), fc.oneof(fc.constantFrom('1.0', '0.3', 'application/json', 'application/cloudevents+json', 'text/plain', 'order.created.v1', 'shop'), fc.string({ maxLength: 300 })), { maxKeys: 9 });
    const structured = fc.record({ specversion: fc.oneof(fc.constant('1.0'), nasty), id: nasty, source: nasty, type: nasty, subject: nasty, time: nasty, data: json, data_base64: nasty, datacontenttype: nasty }, { requiredKeys: [] });
    const legacy = fc.record({ 'event-type': nasty, 'event-type-version': nasty, 'event-time': fc.oneof(fc.constant('2026-01-01T00:00:00Z'), nasty), 'event-id': nasty, data: json }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('binary', 'structured', 'legacy', 'raw'),
        ceHeaders,
        structured,
        legacy,
        fc.oneof(fc.string({ maxLength: 500 }), fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b).toString('latin1'))),
        fc.oneof(fc.constantFrom('/publish', '/app/v1/events', '/app/v2/events', '/app/v1/events/subscribed', '/%zz/v1/events'), nasty.map((s) => `/${encodeURIComponent(s)}`)),
        async (mode, headers, ce, leg, raw, path) => {
          await fuzzCase(async () => {
            const safeHeaders = Object.fromEntries(Object.entries(headers).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)));
            switch (mode) {
              case 'binary':
                return [await send(`${publisher}/publish`, { method: 'POST', headers: safeHeaders, body: raw })];
              case 'structured':
                return [await send(`${publisher}/publish`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(ce) })];
              case 'legacy':
                return [await send(`${publisher}/app/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(leg) })];
              default:
                return [await send(`${publisher}${path}`, { method: 'POST', headers: safeHeaders, body: raw })];
            }
          });
        },
      ),
      { numRuns: RUNS.publisher, seed: SEED, endOnFailure: true },
    );
    const ok = await send(`${publisher}/publish`, { method: 'POST', headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'after-fuzz', 'ce-source': 'shop', 'ce-type': 'order.created.v1' }, body: '{}' });
    expect(ok).toBe(204);
  });

  it('OTLP receiver: random OTLP/JSON shapes, protobuf bytes and gzip', async () => {
    const anyValue = fc.oneof(fc.record({ stringValue: fc.oneof(fc.string(), json) }), fc.record({ intValue: fc.oneof(fc.integer(), fc.string()) }), fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: nasty, value: json })) }) }), json);
    const kvs = fc.array(fc.record({ key: fc.oneof(nasty, json), value: anyValue }, { requiredKeys: [] }), { maxLength: 4 });
    const span = fc.record({ traceId: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), nasty), spanId: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), nasty), name: nasty, startTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), nasty, json), endTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), json), attributes: fc.oneof(kvs, json), kind: fc.oneof(fc.integer(), json) }, { requiredKeys: [] });
    const traces = fc.record({ resourceSpans: fc.oneof(fc.array(fc.record({ resource: fc.record({ attributes: kvs }), scopeSpans: fc.array(fc.record({ spans: fc.array(span, { maxLength: 3 }) })) }), { maxLength: 2 }), json) });
    const logs = fc.record({ resourceLogs: fc.oneof(fc.array(fc.record({ scopeLogs: fc.array(fc.record({ logRecords: fc.array(fc.record({ body: anyValue, severityNumber: fc.oneof(fc.integer(), json), attributes: kvs, timeUnixNano: fc.oneof(fc.string(), json) }, { requiredKeys: [] })) })) })), json) });
    const metrics = fc.record({ resourceMetrics: fc.oneof(fc.array(fc.record({ scopeMetrics: fc.array(fc.record({ metrics: fc.array(fc.record({ name: nasty, gauge: fc.record({ dataPoints: fc.array(fc.record({ asDouble: fc.oneof(fc.double(), json), attributes: kvs }, { requiredKeys: [] })) }), sum: json, histogram: json }, { requiredKeys: [] })) })) })), json) });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/v1/traces', '/v1/logs', '/v1/metrics', '/v1/nope'),
        fc.constantFrom('json', 'protobuf', 'gzip-json', 'gzip-garbage', 'other'),
        fc.oneof(traces, logs, metrics, json),
        fc.uint8Array({ maxLength: 600 }),
        async (path, encoding, body, bytes) => {
          await fuzzCase(async () => {
            const post = (headers: Record<string, string>, b: string | Uint8Array) => send(`${otlp}${path}`, { method: 'POST', headers, body: b });
            switch (encoding) {
              case 'json':
                return [await post({ 'content-type': 'application/json' }, JSON.stringify(body))];
              case 'protobuf':
                return [await post({ 'content-type': 'application/x-protobuf' }, bytes)];
              case 'gzip-json':
                return [await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(JSON.stringify(body)))];
              case 'gzip-garbage':
                return [await post({ 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, bytes)];
              default:
                return [await post({ 'content-type': 'text/plain' }, JSON.stringify(body))];
            }
          });
        },
      ),
      { numRuns: RUNS.otlp, seed: SEED, endOnFailure: true },
    );
  });

  it('tried at least 2,000 cases in total', () => {
    expect(cases).toBeGreaterThanOrEqual(Math.min(2000, RUNS.resources + RUNS.publisher + RUNS.otlp));
    expect(failures).toBe(0);
  });
});
