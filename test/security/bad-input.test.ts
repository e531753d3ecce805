/** Bad input gets a clear 4xx naming the problem, never a 500 or a stack trace. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, type TestHome } from '../helpers/cli.js';
import { rawRequest } from '../helpers/raw-http.js';

let home: TestHome;
let base: string;
let publisher: string;
let auth: Record<string, string>;

const SECRETS = '/api/v1/namespaces/default/secrets';
const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

beforeAll(async () => {
  home = await createTestHome();
  await home.cli(['up', '--profile', await home.profile({ modules: ['eventing'] })]);
  const status = await statusJson(home);
  base = status.daemon!.url;
  publisher = status.cluster!.components.find((c) => c.name === 'eventing')!.urls!['publisher']!.replace(/\/publish$/, '');
  auth = { authorization: `Bearer ${apiToken(home)}`, 'content-type': 'application/json' };
});
afterAll(async () => {
  await home?.cleanup();
});

describe('bad input', () => {
  it('JSON nested 2,000 levels deep: 400 naming the nesting limit, on the resource API, the daemon API and the publisher', async () => {
    const kube = await rawRequest(`${base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: auth, body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":${deep(2000)}}` });
    expect(kube.status).toBe(400);
    expect(JSON.parse(kube.body).message).toMatch(/nested more than 200 levels deep \(at \/data(\/a)+\); flatten it/);
    const own = await rawRequest(`${base}/kl/v1/events/publish`, { method: 'POST', headers: auth, body: `{"type":"a.b.v1","source":"s","data":${deep(2000)}}` });
    expect(own.status).toBe(400);
    const proxy = await rawRequest(`${publisher}/publish`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: `{"specversion":"1.0","id":"1","source":"s","type":"a.b.v1","data":${deep(2000)}}` });
    expect(proxy.status).toBe(400);
    expect(proxy.body).toContain('nested more than 200 levels deep');
    const binary = await rawRequest(`${publisher}/publish`, { method: 'POST', headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': 's', 'ce-type': 'a.b.v1' }, body: deep(2000) });
    expect(binary.status).toBe(400);
    expect((await rawRequest(`${base}/healthz`)).status).toBe(200);
  });

  it('a malformed %zz escape in a URL: 400, on the resource API, the daemon API and the publisher', async () => {
    const kube = await rawRequest(`${base}/api/v1/namespaces/%zz/configmaps`, { headers: auth });
    expect(kube.status).toBe(400);
    expect(JSON.parse(kube.body).message).toBe('the URL path segment "%zz" has a malformed percent-escape; encode "%" as %25');
    const own = await rawRequest(`${base}/kl/v1/functions/default/%zz/revisions`, { headers: auth });
    expect(own.status).toBe(400);
    const proxy = await rawRequest(`${publisher}/%zz/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(proxy.status).toBe(400);
  });

  it('a Secret stringData value that is an object is a 422 naming the field, not "[object Object]"', async () => {
    const res = await rawRequest(`${base}${SECRETS}`, { method: 'POST', headers: auth, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' }, stringData: { password: { nested: true }, ok: 'x' } }) });
    expect(res.status).toBe(422);
    const status = JSON.parse(res.body);
    expect(status.details.causes).toEqual([expect.objectContaining({ field: 'stringData[password]' })]);
    expect((await rawRequest(`${base}${SECRETS}/bad`, { headers: auth })).status).toBe(404);
    const dry = await rawRequest(`${base}${SECRETS}?dryRun=All`, { method: 'POST', headers: auth, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' }, stringData: ['x'] }) });
    expect(dry.status).toBe(422);
  });

  it('a dry-run create of a Secret answers what would be stored: stringData folded into base64 data', async () => {
    const res = await rawRequest(`${base}${SECRETS}?dryRun=All`, { method: 'POST', headers: auth, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dry' }, data: { a: 'YQ==' }, stringData: { password: 's3cr3t' } }) });
    expect(res.status).toBe(201);
    const obj = JSON.parse(res.body);
    expect(obj.stringData).toBeUndefined();
    expect(obj.data).toEqual({ a: 'YQ==', password: Buffer.from('s3cr3t').toString('base64') });
    expect((await rawRequest(`${base}${SECRETS}/dry`, { headers: auth })).status).toBe(404);
  });

  it('the CLI answers a YAML alias bomb with one line naming the file, no stack trace', async () => {
    const file = join(home.dir, 'bomb.yaml');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 8; i++) levels.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(9).fill(`*${'abcdefgh'[i - 1]}`).join(',')}]`);
    await writeFile(file, levels.join('\n') + '\n');
    const r = await home.cli(['apply', '-f', file], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/^Error: .*bomb\.yaml:1:1: the YAML document cannot be read: Excessive alias count/);
    expect(String(r.stderr)).not.toMatch(/\n\s+at /);
  });
});
