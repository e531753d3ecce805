import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, CONFIGMAP, FUNCTION, NAMESPACE, RESOURCE_TYPES, SECRET, type KubeObject } from '../model/index.js';
import { createFileStore, type FileStore } from './index.js';
import { objectPath } from './persistence.js';

function fn(name: string, extra: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'serverless.kyma-project.io/v1alpha2',
    kind: 'Function',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { runtime: 'nodejs22', source: { inline: { source: 'module.exports={main(){return 1}}' } }, ...extra },
  };
}

async function apiError(p: Promise<unknown> | (() => unknown)): Promise<ApiError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

let dir: string;
let store: FileStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-store-'));
  store = await createFileStore({ dir, types: RESOURCE_TYPES });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CRUD', () => {
  it('creates with server fields and defaults, gets, lists and deletes', async () => {
    const created = await store.create(fn('hello'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.spec?.replicas).toBe(1);
    expect(store.get(FUNCTION, 'default', 'hello')).toEqual(created);
    expect(store.list(FUNCTION).items.map((i) => i.metadata.name)).toEqual(['hello']);
    const deleted = await store.delete(FUNCTION, 'default', 'hello');
    expect(Number(deleted.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(store.find(FUNCTION, 'default', 'hello')).toBeUndefined();
    expect((await apiError(() => store.get(FUNCTION, 'default', 'hello'))).code).toBe(404);
  });

  it('returns copies that do not alias stored state', async () => {
    const created = await store.create(fn('a'));
    created.spec!.runtime = 'changed';
    expect(store.get(FUNCTION, 'default', 'a').spec?.runtime).toBe('nodejs22');
  });

  it('rejects duplicates with 409 AlreadyExists and invalid objects with 422 naming every field', async () => {
    await store.create(fn('a'));
    const dup = await apiError(store.create(fn('a')));
    expect([dup.code, dup.reason]).toEqual([409, 'AlreadyExists']);
    const bad = await apiError(store.create(fn('Bad_Name', { runtime: 'nodejs18', replicas: -1 })));
    expect(bad.code).toBe(422);
    expect(bad.details?.causes?.map((c) => c.field).sort()).toEqual(['metadata.name', 'spec.replicas', 'spec.runtime']);
  });

  it('defaults the namespace, drops it for cluster-scoped kinds and generates names', async () => {
    const o = fn('x');
    delete o.metadata.namespace;
    expect((await store.create(o)).metadata.namespace).toBe('default');
    const ns = await store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', namespace: 'foo' } });
    expect(ns.metadata.namespace).toBeUndefined();
    expect(store.get(NAMESPACE, undefined, 'dev').metadata.name).toBe('dev');
    const gen = await store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '', generateName: 'cfg-' }, data: { a: 'b' } });
    expect(gen.metadata.name).toMatch(/^cfg-[a-z0-9]{5}$/);
  });

  it('folds Secret stringData into base64 data and defaults the type', async () => {
    const s = await store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { b: 'héllo' } });
    expect(s.data).toEqual({ a: 'eA==', b: Buffer.from('héllo').toString('base64') });
    expect(s.stringData).toBeUndefined();
    expect(s.type).toBe('Opaque');
  });

  it('rejects unknown kinds with 400', async () => {
    const e = await apiError(store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }));
    expect(e.code).toBe(400);
  });
});

describe('update semantics', () => {
  it('detects stale resourceVersions with 409 Conflict', async () => {
    const a = await store.create(fn('a'));
    await store.update({ ...a, spec: { ...a.spec, replicas: 2 } });
    const e = await apiError(store.update({ ...a, spec: { ...a.spec, replicas: 3 } }));
    expect([e.code, e.reason]).toEqual([409, 'Conflict']);
  });

  it('bumps generation on spec changes only and keeps status, uid and creationTimestamp', async () => {
    const a = await store.create(fn('a'));
    const st = await store.patchStatus(FUNCTION, 'default', 'a', { runtime: 'nodejs22' });
    expect(st.metadata.generation).toBe(1);
    expect(Number(st.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    const labelled = await store.update({ ...st, metadata: { ...st.metadata, labels: { x: 'y' }, uid: 'forged' }, status: { forged: true } });
    expect(labelled.metadata.generation).toBe(1);
    expect(labelled.metadata.uid).toBe(a.metadata.uid);
    expect(labelled.status).toEqual({ runtime: 'nodejs22' });
    const changed = await store.update({ ...labelled, spec: { ...labelled.spec, replicas: 3 } });
    expect(changed.metadata.generation).toBe(2);
    expect(changed.metadata.creationTimestamp).toBe(a.metadata.creationTimestamp);
  });

  it('bumps generation on any change for kinds without status', async () => {
    const cm = await store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    const up = await store.update({ ...cm, metadata: { ...cm.metadata, labels: { l: 'v' } } });
    expect(up.metadata.generation).toBe(2);
  });

  it('treats a no-op update as no change: same resourceVersion, no event', async () => {
    const a = await store.create(fn('a'));
    const events: string[] = [];
    const stop = store.watch(FUNCTION, {}, (ev) => events.push(ev.type));
    const same = await store.update(a);
    expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    await store.update({ ...a, spec: { ...a.spec, replicas: 5 } });
    stop();
    expect(events).toEqual(['MODIFIED']);
  });

  it('updateStatus changes only status', async () => {
    const a = await store.create(fn('a'));
    const s = await store.updateStatus({ ...a, spec: { runtime: 'python312' }, status: { replicas: 1 } });
    expect(s.spec?.runtime).toBe('nodejs22');
    expect(s.status).toEqual({ replicas: 1 });
    expect(s.metadata.generation).toBe(1);
    expect((await apiError(store.updateStatus({ ...a, status: { x: 1 } }))).code).toBe(409);
  });
});

describe('patch', () => {
  it('applies JSON merge patches (null deletes, lists replace)', async () => {
    await store.create(fn('a', { env: [{ name: 'A', value: '1' }] }, { keep: 'me', drop: 'me' }));
    const p = await store.patch(FUNCTION, 'default', 'a', { metadata: { labels: { drop: null } }, spec: { env: [{ name: 'B', value: '2' }] } }, 'merge');
    expect(p.metadata.labels).toEqual({ keep: 'me' });
    expect(p.spec?.env).toEqual([{ name: 'B', value: '2' }]);
    expect(p.metadata.generation).toBe(2);
  });

  it('applies RFC 6902 JSON patches and rejects invalid results with 422', async () => {
    await store.create(fn('a'));
    const p = await store.patch(FUNCTION, 'default', 'a', [{ op: 'replace', path: '/spec/replicas', value: 4 }, { op: 'add', path: '/spec/env', value: [] }], 'json');
    expect(p.spec?.replicas).toBe(4);
    const e = await apiError(store.patch(FUNCTION, 'default', 'a', [{ op: 'replace', path: '/spec/replicas', value: -2 }], 'json'));
    expect(e.code).toBe(422);
  });

  it('conflicts when the patch carries a stale resourceVersion', async () => {
    const a = await store.create(fn('a'));
    await store.patch(FUNCTION, 'default', 'a', { spec: { replicas: 2 } }, 'strategic');
    const e = await apiError(store.patch(FUNCTION, 'default', 'a', { metadata: { resourceVersion: a.metadata.resourceVersion }, spec: { replicas: 3 } }, 'merge'));
    expect(e.code).toBe(409);
  });
});

describe('list', () => {
  it('filters by namespace, label selector and field selector, sorted by namespace/name', async () => {
    await store.create({ ...fn('b', {}, { app: 'x', tier: 'web' }) });
    await store.create({ ...fn('a', {}, { app: 'y' }) });
    await store.create({ ...fn('c', {}, { app: 'x' }), metadata: { name: 'c', namespace: 'aaa', labels: { app: 'x' } } });
    const names = (opts: Parameters<FileStore['list']>[1]): string[] => store.list(FUNCTION, opts).items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
    expect(names({})).toEqual(['aaa/c', 'default/a', 'default/b']);
    expect(names({ namespace: 'default' })).toEqual(['default/a', 'default/b']);
    expect(names({ labelSelector: 'app=x' })).toEqual(['aaa/c', 'default/b']);
    expect(names({ labelSelector: 'app in (x,y),!tier' })).toEqual(['aaa/c', 'default/a']);
    expect(names({ fieldSelector: 'metadata.name=a' })).toEqual(['default/a']);
    expect((await apiError(() => store.list(FUNCTION, { labelSelector: 'app in (x' }))).code).toBe(400);
    expect(store.list(FUNCTION).resourceVersion).toBe(store.currentResourceVersion());
  });
});

describe('watch', () => {
  it('delivers live events, replays after a resourceVersion, and survives throwing listeners', async () => {
    const a = await store.create(fn('a'));
    const live: string[] = [];
    store.watch(undefined, {}, () => {
      throw new Error('bad listener');
    });
    const stopLive = store.watch(FUNCTION, {}, (ev) => live.push(`${ev.type}:${ev.object.metadata.name}`));
    await store.create(fn('b'));
    await store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    await store.delete(FUNCTION, 'default', 'a');
    stopLive();
    expect(live).toEqual(['ADDED:b', 'DELETED:a']);

    const replayed: string[] = [];
    const done = new Promise<void>((resolve) => {
      store.watch(FUNCTION, { resourceVersion: a.metadata.resourceVersion }, (ev) => {
        replayed.push(`${ev.type}:${ev.object.metadata.name}`);
        if (replayed.length === 3) resolve();
      });
    });
    await store.create(fn('d'));
    await done;
    expect(replayed).toEqual(['ADDED:b', 'DELETED:a', 'ADDED:d']);
  });

  it('answers 410 Gone for versions older than the history', async () => {
    await store.close();
    store = await createFileStore({ dir, types: RESOURCE_TYPES, watchHistory: 2 });
    const first = await store.create(fn('a'));
    for (const n of ['b', 'c', 'd']) await store.create(fn(n));
    const e = await apiError(() => store.watch(FUNCTION, { resourceVersion: first.metadata.resourceVersion }, () => undefined));
    expect([e.code, e.reason]).toEqual([410, 'Gone']);
    expect(e.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('turns label selection changes into ADDED/DELETED', async () => {
    const events: string[] = [];
    store.watch(FUNCTION, { labelSelector: 'app=x' }, (ev) => events.push(ev.type));
    await store.create(fn('a'));
    await store.patch(FUNCTION, 'default', 'a', { metadata: { labels: { app: 'x' } } }, 'merge');
    await store.patch(FUNCTION, 'default', 'a', { spec: { replicas: 2 } }, 'merge');
    await store.patch(FUNCTION, 'default', 'a', { metadata: { labels: null } }, 'merge');
    expect(events).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });
});

describe('persistence', () => {
  it('restores every object after close/reopen and keeps resourceVersion monotonic, even after deletes', async () => {
    await store.create(fn('a'));
    await store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns1' }, stringData: { k: 'v' } });
    await store.create(fn('gone'));
    await store.delete(FUNCTION, 'default', 'gone');
    const before = Number(store.currentResourceVersion());
    await store.close();
    store = await createFileStore({ dir, types: RESOURCE_TYPES });
    expect(store.list(FUNCTION).items.map((i) => i.metadata.name)).toEqual(['a']);
    expect(store.get(SECRET, 'ns1', 's').data).toEqual({ k: 'dg==' });
    expect(Number(store.currentResourceVersion())).toBeGreaterThanOrEqual(before);
    const next = await store.create(fn('b'));
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(before);
  });

  it('ignores and removes a torn temp file left by a crash', async () => {
    const cm = await store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    await store.close();
    const file = objectPath(dir, CONFIGMAP, 'default', 'c');
    await writeFile(`${file}.tmp-999-deadbeef`, '{"apiVersion":"v1","kind":"Conf');
    store = await createFileStore({ dir, types: RESOURCE_TYPES });
    expect(store.get(CONFIGMAP, 'default', 'c')).toEqual(cm);
    expect((await readdir(path.dirname(file))).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('reports a failed write as 500 with the path and keeps working', async () => {
    const blocked = path.join(dir, 'core', 'configmaps', 'blocked');
    await mkdir(path.dirname(blocked), { recursive: true });
    await writeFile(blocked, 'not a directory');
    const e = await apiError(store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'blocked' } }));
    expect([e.code, e.reason]).toEqual([500, 'InternalError']);
    expect(e.message).toContain(dir);
    await store.flush();
    expect((await store.create(fn('after'))).metadata.name).toBe('after');
  });

  it('serializes concurrent writes to one object so the last one wins on disk', async () => {
    const a = await store.create(fn('a'));
    await Promise.all([1, 2, 3, 4, 5].map((r) => store.patch(FUNCTION, 'default', 'a', { spec: { replicas: r } }, 'merge')));
    const latest = store.get(FUNCTION, 'default', 'a');
    await store.close();
    store = await createFileStore({ dir, types: RESOURCE_TYPES });
    expect(store.get(FUNCTION, 'default', 'a')).toEqual(latest);
    expect(latest.metadata.uid).toBe(a.metadata.uid);
  });
});

describe('finalizers', () => {
  it('marks an object with finalizers for deletion and removes it when the last finalizer goes', async () => {
    await store.create({ ...fn('held'), metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] } });
    const events: string[] = [];
    const off = store.watch(FUNCTION, {}, (ev) => events.push(`${ev.type}:${ev.object.metadata.deletionTimestamp ? 'deleting' : 'live'}`));
    const marked = await store.delete(FUNCTION, 'default', 'held');
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect(store.find(FUNCTION, 'default', 'held')?.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    // A second delete changes nothing.
    expect((await store.delete(FUNCTION, 'default', 'held')).metadata.resourceVersion).toBe(marked.metadata.resourceVersion);
    await store.update({ ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(store.find(FUNCTION, 'default', 'held')).toBeUndefined();
    off();
    expect(events).toEqual(['MODIFIED:deleting', 'DELETED:deleting']);
  });
});
