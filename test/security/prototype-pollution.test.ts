/**
 * Walks every API of the daemon (and its listeners) that takes JSON with keys and paths that lead to a prototype,
 * then checks that Object.prototype of the daemon's process is clean, that no request failed with a 5xx, that
 * patches through a prototype were refused with 422, and that a worker spawned afterwards has a clean environment.
 * The daemon runs in this test's process so that its Object.prototype is the one checked.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../main/core/daemon/index.js';
import { profileYaml, REPO } from '../helpers/cli.js';
import { waitFor } from '../eventing/helpers.js';

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
let dir: string;
let daemon: Daemon;
let base: string;
let token: string;
let publisher: string;
let otlp: string;
const answers: Array<{ what: string; status: number; body: string }> = [];

const FN = '/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions';
const CM = '/api/v1/namespaces/default/configmaps';
const SECRETS = '/api/v1/namespaces/default/secrets';
const SUBS = '/apis/eventing.kyma-project.io/v1alpha2/namespaces/default/subscriptions';

async function call(what: string, url: string, method: string, body: string, contentType = 'application/json', auth = true): Promise<number> {
  const res = await fetch(url, { method, headers: { 'content-type': contentType, ...(auth ? { authorization: `Bearer ${token}` } : {}) }, body });
  const text = await res.text();
  answers.push({ what, status: res.status, body: text });
  return res.status;
}

const configMap = (name: string, extra: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}","namespace":"default"},"data":{"a":"1"}${extra}}`;
const POLLUTERS = ['"__proto__":{"polluted":"yes"}', '"constructor":{"prototype":{"polluted":"yes"}}'];
const POINTERS = ['/__proto__/polluted', '/constructor/prototype/polluted', '/metadata/__proto__/polluted', '/data/constructor/prototype/polluted', '/spec/__proto__'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kl-proto-'));
  // The compiled daemon (npm test builds first), so that its workers run the compiled function runtime.
  const compiled = (await import(join(REPO, 'dist/main/core/daemon/index.js'))) as typeof import('../../main/core/daemon/index.js');
  daemon = new compiled.Daemon({ stateDir: dir, port: 0 });
  await daemon.start();
  token = (await readFile(join(dir, 'token'), 'utf8')).trim();
  base = daemon.statusReport().daemon.url;
  const profile = join(dir, 'p.yaml');
  await writeFile(profile, profileYaml('proto', ['telemetry', 'eventing', 'serverless']));
  const status = await daemon.up(profile, () => {});
  const urls = Object.assign({}, ...status.components.map((c) => c.urls ?? {})) as Record<string, string>;
  publisher = urls['publisher']!.replace(/\/publish$/, '');
  otlp = status.components.find((c) => c.name === 'telemetry')!.message!.replace('OTLP/HTTP on ', '');
});

afterAll(async () => {
  await daemon?.shutdown('test done');
  await rm(dir, { recursive: true, force: true });
});

describe('prototype pollution', () => {
  it('refuses every key and path that leads to a prototype, and Object.prototype stays clean', async () => {
    expect(await call('create cm', `${base}${CM}`, 'POST', configMap('target', ''))).toBe(201);
    expect(await call('create secret', `${base}${SECRETS}`, 'POST', '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},"stringData":{"k":"v"}}')).toBe(201);

    for (const [i, p] of POLLUTERS.entries()) {
      // Bodies: create, update, dry-run, status, every kind's shape.
      await call(`create ${i}`, `${base}${CM}`, 'POST', configMap(`c${i}`, `,${p}`));
      await call(`create nested ${i}`, `${base}${CM}`, 'POST', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n${i}","namespace":"default",${p}},"data":{${p}}}`);
      await call(`dry-run ${i}`, `${base}${CM}?dryRun=All`, 'POST', configMap(`d${i}`, `,${p}`));
      await call(`update ${i}`, `${base}${CM}/target`, 'PUT', configMap('target', `,${p}`));
      await call(`secret ${i}`, `${base}${SECRETS}`, 'POST', `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s${i}","namespace":"default"},"stringData":{${p}}}`);
      await call(`function ${i}`, `${base}${FN}`, 'POST', `{"apiVersion":"serverless.kyma-project.io/v1alpha2","kind":"Function","metadata":{"name":"f${i}","namespace":"default"},"spec":{"runtime":"nodejs22","source":{"inline":{"source":"module.exports={main:()=>1}"}},${p}}}`);
      await call(`subscription ${i}`, `${base}${SUBS}`, 'POST', `{"apiVersion":"eventing.kyma-project.io/v1alpha2","kind":"Subscription","metadata":{"name":"s${i}","namespace":"default"},"spec":{"sink":"http://x.default.svc.cluster.local","source":"a","types":["t.v1"],${p}}}`);
      // Merge patches, on the object and its status, dry-run too.
      for (const type of ['application/merge-patch+json', 'application/strategic-merge-patch+json']) {
        expect(await call(`merge ${i}`, `${base}${CM}/target`, 'PATCH', `{${p}}`, type)).toBe(422);
        expect(await call(`merge nested ${i}`, `${base}${CM}/target`, 'PATCH', `{"data":{${p}},"metadata":{${p}}}`, type)).toBe(422);
        expect(await call(`merge dry-run ${i}`, `${base}${CM}/target?dryRun=All`, 'PATCH', `{${p}}`, type)).toBe(422);
        expect(await call(`merge status ${i}`, `${base}${FN.replace('functions', 'functions')}/nope/status`, 'PATCH', `{"status":{${p}}}`, type)).toBeLessThan(500);
      }
      // The daemon's own API.
      await call(`up ${i}`, `${base}/kl/v1/dev`, 'POST', `{"dirs":[],${p}}`);
      await call(`dev remove ${i}`, `${base}/kl/v1/dev/remove`, 'POST', `{${p}}`);
      await call(`publish ${i}`, `${base}/kl/v1/events/publish`, 'POST', `{"type":"a.b.v1","source":"s","data":{${p}},${p}}`);
      await call(`publish-legacy ${i}`, `${base}/kl/v1/events/publish-legacy`, 'POST', `{"app":"a","event":{"event-type":"x","event-type-version":"v1","data":{${p}},${p}}}`);
      await call(`replay ${i}`, `${base}/kl/v1/events/nope/replay`, 'POST', `{"data":{${p}},${p}}`);
      await call(`rollback ${i}`, `${base}/kl/v1/functions/default/nope/rollback`, 'POST', `{${p}}`);
      await call(`telemetry import ${i}`, `${base}/kl/v1/telemetry/import`, 'POST', `{"resourceSpans":[],${p}}\n`, 'application/x-ndjson');
      // Listeners: publisher proxy (structured, binary data, legacy) and OTLP/JSON (bodies and attribute keys).
      await call(`proxy structured ${i}`, `${publisher}/publish`, 'POST', `{"specversion":"1.0","id":"1","source":"s","type":"a.b.v1","data":{${p}},${p}}`, 'application/cloudevents+json', false);
      await call(`proxy legacy ${i}`, `${publisher}/app/v1/events`, 'POST', `{"event-type":"x","event-type-version":"v1","event-time":"2026-01-01T00:00:00Z","data":{${p}},${p}}`, 'application/json', false);
      await call(`otlp ${i}`, `${otlp}/v1/traces`, 'POST', `{"resourceSpans":[],${p}}`, 'application/json', false);
    }
    for (const path of POINTERS) {
      for (const op of ['add', 'replace', 'copy', 'move', 'test', 'remove']) {
        const body = JSON.stringify([{ op, path, from: '/data/a', value: { polluted: 'yes' } }]);
        expect(await call(`json patch ${op} ${path}`, `${base}${CM}/target`, 'PATCH', body, 'application/json-patch+json')).toBe(422);
        const reverse = JSON.stringify([{ op, path: '/data/b', from: path, value: 'x' }]);
        expect(await call(`json patch ${op} from ${path}`, `${base}${CM}/target`, 'PATCH', reverse, 'application/json-patch+json')).toBeLessThan(500);
      }
      expect(await call(`json patch dry-run ${path}`, `${base}${CM}/target?dryRun=All`, 'PATCH', JSON.stringify([{ op: 'add', path, value: 'yes' }]), 'application/json-patch+json')).toBe(422);
    }
    // OTLP attributes named like prototypes become plain attributes.
    const kv = (key: string) => ({ key, value: { kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'yes' } }] } } });
    const spans = { resourceSpans: [{ resource: { attributes: [kv('__proto__'), kv('constructor')] }, scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 's', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: [kv('__proto__')] }] }] }] };
    expect(await call('otlp attributes', `${otlp}/v1/traces`, 'POST', JSON.stringify(spans), 'application/json', false)).toBe(200);

    const fivexx = answers.filter((a) => a.status >= 500);
    expect(fivexx, JSON.stringify(fivexx.slice(0, 3))).toEqual([]);
    expect(answers.filter((a) => a.what.startsWith('json patch') && a.status === 422)[0]?.body).toContain('is not allowed in a patch');
    expect(answers.length).toBeGreaterThan(100);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const target = (await (await fetch(`${base}${CM}/target`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: Record<string, string> };
    expect(target.data).toEqual({ a: '1' });
  });

  it('a worker spawned afterwards has no inherited key in its environment', async () => {
    const source = 'module.exports = { main: () => JSON.stringify({ polluted: process.env.polluted ?? null, keys: Object.keys(process.env).filter((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) }) };';
    await call('function env probe', `${base}${FN}`, 'POST', JSON.stringify({ apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', metadata: { name: 'envprobe', namespace: 'default' }, spec: { runtime: 'nodejs22', source: { inline: { source } } } }));
    let out = '';
    await waitFor(async () => {
      const res = await fetch(`${base}/kl/v1/functions/default/envprobe/invoke/`, { headers: { authorization: `Bearer ${token}` } });
      out = await res.text();
      return res.status === 200;
    }, 'the probe function to answer', 60_000);
    expect(JSON.parse(out)).toEqual({ polluted: null, keys: [] });
  });
});
