import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeServer, type TestKubeServer } from './server.js';
import { call, fn, FN_PATH } from './client.js';

let s: TestKubeServer;
beforeAll(async () => {
  s = await startKubeServer();
});
afterAll(async () => {
  await s.close();
});

const CM_PATH = '/api/v1/namespaces/default/configmaps';

describe('create, get, list', () => {
  it('creates with 201, fills metadata, and gets it back', async () => {
    const created = await call(s, 'POST', FN_PATH, fn('create-me'));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'create-me', namespace: 'default', generation: 1 });
    expect(created.body.metadata.uid).toBeTruthy();
    const got = await call(s, 'GET', `${FN_PATH}/create-me`);
    expect(got.status).toBe(200);
    expect(got.body.spec.replicas).toBe(1);
    expect(got.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
    const again = await call(s, 'POST', FN_PATH, fn('create-me'));
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('AlreadyExists');
  });

  it('answers 404 with a Status for a missing object', async () => {
    const r = await call(s, 'GET', `${FN_PATH}/nobody`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'NotFound', details: { name: 'nobody' } });
  });

  it('lists with label selectors, across namespaces and as a List kind', async () => {
    await call(s, 'POST', FN_PATH, fn('sel-a', undefined, { app: 'sel', tier: 'front' }));
    await call(s, 'POST', FN_PATH, fn('sel-b', undefined, { app: 'sel', tier: 'back' }));
    await call(s, 'POST', '/apis/serverless.kyma-project.io/v1alpha2/namespaces/other/functions', fn('sel-c', undefined, { app: 'sel' }));
    const ns = await call(s, 'GET', `${FN_PATH}?labelSelector=${encodeURIComponent('app=sel')}`);
    expect(ns.body.kind).toBe('FunctionList');
    expect(ns.body.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['sel-a', 'sel-b']);
    const back = await call(s, 'GET', `${FN_PATH}?labelSelector=${encodeURIComponent('app=sel,tier!=front')}`);
    expect(back.body.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['sel-b']);
    const all = await call(s, 'GET', `/apis/serverless.kyma-project.io/v1alpha2/functions?labelSelector=app%3Dsel`);
    expect(all.body.items.map((o: { metadata: { name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'default/sel-a',
      'default/sel-b',
      'other/sel-c',
    ]);
    const byName = await call(s, 'GET', `${FN_PATH}?fieldSelector=metadata.name%3Dsel-b`);
    expect(byName.body.items).toHaveLength(1);
  });

  it('serves cluster-scoped kinds without a namespace', async () => {
    const app = { apiVersion: 'applicationconnector.kyma-project.io/v1alpha1', kind: 'Application', metadata: { name: 'shop' }, spec: {} };
    const created = await call(s, 'POST', '/apis/applicationconnector.kyma-project.io/v1alpha1/applications', app);
    expect(created.status).toBe(201);
    expect(created.body.metadata.namespace).toBeUndefined();
    expect((await call(s, 'GET', '/apis/applicationconnector.kyma-project.io/v1alpha1/applications/shop')).status).toBe(200);
  });
});

describe('request checks', () => {
  it('rejects a body whose apiVersion or kind does not match the URL', async () => {
    const wrongVersion = await call(s, 'POST', FN_PATH, { ...fn('v'), apiVersion: 'serverless.kyma-project.io/v1alpha1' });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.message).toContain('does not match the expected API version');
    const wrongKind = await call(s, 'POST', FN_PATH, { ...fn('k'), kind: 'Subscription' });
    expect(wrongKind.status).toBe(400);
  });

  it('rejects a namespace mismatch with the apiserver message', async () => {
    const r = await call(s, 'POST', FN_PATH, { ...fn('ns'), metadata: { name: 'ns', namespace: 'elsewhere' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });

  it('rejects invalid JSON with 400 and oversized bodies with 413', async () => {
    const bad = await call(s, 'POST', FN_PATH, '{"apiVersion":');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe('BadRequest');
    const big = await call(s, 'POST', FN_PATH, fn('big', 'x'.repeat(3 * 1024 * 1024 + 10)));
    expect(big.status).toBe(413);
    expect(big.body.reason).toBe('RequestEntityTooLarge');
  });

  it('accepts YAML bodies', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n';
    const r = await call(s, 'POST', CM_PATH, yaml, { 'Content-Type': 'application/yaml' });
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ a: 'b' });
  });

  it('answers 422 with a cause per bad field', async () => {
    const body = fn('invalid', '');
    (body.spec as Record<string, unknown>).runtime = 'cobol';
    const r = await call(s, 'POST', FN_PATH, body);
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    const fields = r.body.details.causes.map((c: { field: string }) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['spec.runtime', 'spec.source.inline.source']));
    expect(r.body.details.causes.find((c: { field: string }) => c.field === 'spec.runtime').reason).toBe('FieldValueNotSupported');
  });

  it('applies fieldValidation: Strict rejects unknown fields, Warn reports them in a Warning header', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict', colour: 'red' }, data: {}, extra: 1 };
    const strict = await call(s, 'POST', `${CM_PATH}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "extra", unknown field "metadata.colour"');
    const warn = await call(s, 'POST', `${CM_PATH}?fieldValidation=Warn`, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toContain('unknown field \\"extra\\"');
  });

  it('validates but does not persist with dryRun=All', async () => {
    const r = await call(s, 'POST', `${FN_PATH}?dryRun=All`, fn('dry'));
    expect(r.status).toBe(201);
    expect(r.body.spec.replicas).toBe(1);
    expect((await call(s, 'GET', `${FN_PATH}/dry`)).status).toBe(404);
    const invalid = await call(s, 'POST', `${FN_PATH}?dryRun=All`, fn('dry', ''));
    expect(invalid.status).toBe(422);
  });
});

describe('update, patch, status, delete', () => {
  it('updates with PUT and answers 409 on a stale resourceVersion', async () => {
    const created = (await call(s, 'POST', FN_PATH, fn('upd'))).body;
    const next = { ...created, spec: { ...created.spec, replicas: 3 } };
    const ok = await call(s, 'PUT', `${FN_PATH}/upd`, next);
    expect(ok.status).toBe(200);
    expect(ok.body.metadata.generation).toBe(2);
    const stale = await call(s, 'PUT', `${FN_PATH}/upd`, { ...next, spec: { ...next.spec, replicas: 4 } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    const renamed = await call(s, 'PUT', `${FN_PATH}/upd`, { ...ok.body, metadata: { ...ok.body.metadata, name: 'other' } });
    expect(renamed.status).toBe(400);
  });

  it('applies merge, JSON and strategic merge patches, and refuses unknown patch types with 415', async () => {
    await call(s, 'POST', FN_PATH, fn('pat', undefined, { keep: 'yes', drop: 'yes' }));
    const merge = await call(s, 'PATCH', `${FN_PATH}/pat`, { metadata: { labels: { drop: null } }, spec: { replicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(merge.status).toBe(200);
    expect(merge.body.metadata.labels).toEqual({ keep: 'yes' });
    expect(merge.body.spec.replicas).toBe(2);
    const json = await call(s, 'PATCH', `${FN_PATH}/pat`, [{ op: 'replace', path: '/spec/replicas', value: 5 }], { 'Content-Type': 'application/json-patch+json' });
    expect(json.status).toBe(200);
    expect(json.body.spec.replicas).toBe(5);

    await call(s, 'POST', CM_PATH, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smp' }, data: { a: '1', b: '2' } });
    const smp = await call(s, 'PATCH', `${CM_PATH}/smp`, { data: { b: null, c: '3' } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(smp.body.data).toEqual({ a: '1', c: '3' });

    // Server-side apply is served (test/kube-api/server-side-apply.test.ts); it needs a field manager.
    const ssa = await call(s, 'PATCH', `${FN_PATH}/pat`, 'spec: {}', { 'Content-Type': 'application/apply-patch+yaml' });
    expect(ssa.status).toBe(422);
    expect(ssa.body.message).toContain('fieldManager: Required value');
    const unknown = await call(s, 'PATCH', `${FN_PATH}/pat`, {}, { 'Content-Type': 'text/plain' });
    expect(unknown.status).toBe(415);
  });

  it('writes status through the subresource without bumping generation', async () => {
    const created = (await call(s, 'POST', FN_PATH, fn('stat'))).body;
    const put = await call(s, 'PUT', `${FN_PATH}/stat/status`, { ...created, status: { runtime: 'nodejs22' } });
    expect(put.status).toBe(200);
    expect(put.body.status).toEqual({ runtime: 'nodejs22' });
    expect(put.body.metadata.generation).toBe(1);
    const patched = await call(s, 'PATCH', `${FN_PATH}/stat/status`, { status: { replicas: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.body.status).toEqual({ runtime: 'nodejs22', replicas: 1 });
    expect(patched.body.metadata.generation).toBe(1);
    // Status in a main-resource update is ignored, like a CRD with a status subresource.
    const main = await call(s, 'PUT', `${FN_PATH}/stat`, { ...patched.body, status: { runtime: 'other' } });
    expect(main.body.status.runtime).toBe('nodejs22');
    expect((await call(s, 'DELETE', `${FN_PATH}/stat/status`)).status).toBe(405);
  });

  it('deletes with 200 and the object, then 404', async () => {
    await call(s, 'POST', FN_PATH, fn('del'));
    const r = await call(s, 'DELETE', `${FN_PATH}/del`);
    expect(r.status).toBe(200);
    expect(r.body.metadata.name).toBe('del');
    expect((await call(s, 'GET', `${FN_PATH}/del`)).status).toBe(404);
    expect((await call(s, 'DELETE', `${FN_PATH}/del`)).status).toBe(404);
  });
});

describe('Table output', () => {
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('builds a meta.k8s.io/v1 Table from the printer columns', async () => {
    await call(s, 'POST', FN_PATH, fn('tab', undefined, { app: 'tab' }));
    const r = await call(s, 'GET', `${FN_PATH}?labelSelector=app%3Dtab`, undefined, { Accept: TABLE });
    expect(r.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    const cols = r.body.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}:${c.priority}`);
    expect(cols[0]).toBe('Name:0');
    expect(cols).toEqual(expect.arrayContaining(['RUNTIME:0', 'REPLICAS:0', 'AGE:0', 'REVISION:1']));
    expect(r.body.rows).toHaveLength(1);
    const row = r.body.rows[0];
    const at = (name: string): unknown => row.cells[r.body.columnDefinitions.findIndex((c: { name: string }) => c.name === name)];
    expect(at('Name')).toBe('tab');
    expect(at('RUNTIME')).toBe('nodejs22');
    expect(at('REPLICAS')).toBe(1);
    expect(at('AGE')).toMatch(/^\d+s$/);
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'tab', labels: { app: 'tab' } } });

    const full = await call(s, 'GET', `${FN_PATH}/tab?includeObject=Object`, undefined, { Accept: TABLE });
    expect(full.body.rows[0].object.spec.runtime).toBe('nodejs22');
  });
});
