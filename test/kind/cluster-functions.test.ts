import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FUNCTION, RESOURCE_TYPES, silentLogger, type KubeObject } from '../../main/core/model/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { CLUSTER_DELIVERY_NOTE, ClusterEvents, ClusterFunctions, verdictFor, type KubeObjectLike } from '../../main/core/kind/index.js';
import type { EventWithAttempts } from '../../main/core/api/index.js';

// How the kind runtime judges revisions from a cluster's Function status, and keeps its event inspector bounded.
// The end-to-end path (a real cluster API, real workers) is test/kind/attached-functions-events.test.ts.

const remote = (generation: number, observed: number, config: [string, string?], running: [string, string?], message = ''): KubeObjectLike => ({
  apiVersion: 'serverless.kyma-project.io/v1alpha2',
  kind: 'Function',
  metadata: { name: 'hello', namespace: 'default', generation },
  status: {
    observedGeneration: observed,
    conditions: [
      { type: 'ConfigurationReady', status: config[0], reason: config[1] ?? 'SourceUpdated', message },
      { type: 'Running', status: running[0], reason: running[1] ?? 'DeploymentReady', message },
    ],
  },
});

describe('revision verdicts from the cluster status', () => {
  it('is ready only once the status speaks for the generation and both conditions are True', () => {
    expect(verdictFor(remote(2, 1, ['True'], ['True']), 2)).toEqual({ state: 'pending' });
    expect(verdictFor(remote(2, 2, ['True'], ['Unknown', 'DeploymentWaiting']), 2)).toEqual({ state: 'pending' });
    expect(verdictFor(remote(2, 2, ['Unknown', 'FunctionSpecValidated'], ['True']), 2)).toEqual({ state: 'pending' });
    expect(verdictFor(remote(2, 2, ['True'], ['True']), 2)).toEqual({ state: 'ready' });
    expect(verdictFor(remote(3, 3, ['True'], ['True']), 2)).toEqual({ state: 'ready' });
    expect(verdictFor({ metadata: { name: 'x' } }, 1)).toEqual({ state: 'pending' });
  });

  it('fails on a rejected spec or a failed Deployment, with the cluster message', () => {
    expect(verdictFor(remote(2, 2, ['False', 'InvalidFunctionSpec'], ['True'], 'runtime nodejs8 is not supported'), 2)).toEqual({ state: 'failed', error: { message: 'runtime nodejs8 is not supported' } });
    expect(verdictFor(remote(2, 2, ['True'], ['False', 'DeploymentFailed'], 'image pull backoff'), 2)).toEqual({ state: 'failed', error: { message: 'image pull backoff' } });
    // A replica short is not (yet) a failure: Kubernetes keeps trying.
    expect(verdictFor(remote(2, 2, ['True'], ['False', 'MinReplicasNotAvailable']), 2)).toEqual({ state: 'pending' });
  });
});

describe('revision history on a cluster', () => {
  let dir: string;
  let store: FileStore;
  const fn = (source: string, generation: number): KubeObject => ({
    apiVersion: 'serverless.kyma-project.io/v1alpha2',
    kind: 'Function',
    metadata: { name: 'hello', namespace: 'default', generation },
    spec: { runtime: 'nodejs22', source: { inline: { source } } },
  });
  const make = (): ClusterFunctions => new ClusterFunctions({ store, dir: path.join(dir, 'functions'), log: silentLogger, proxy: () => undefined, kubectl: () => 'kubectl', server: () => 'https://cluster:6443' });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kl-cluster-fns-'));
    store = await createFileStore({ dir: path.join(dir, 'store'), types: RESOURCE_TYPES });
  });
  afterAll(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records a revision per new spec, settles it from the status, and keeps it across a restart', async () => {
    await store.create(fn('v1', 1));
    const fns = make();
    fns.load();
    fns.pushed('APPLIED', fn('v1', 1), { metadata: { generation: 5 } }, Date.now());
    fns.pushed('APPLIED', fn('v1', 1), { metadata: { generation: 5 } }, Date.now()); // the same spec again: no revision
    fns.observed(remote(5, 4, ['True'], ['True']));
    expect(fns.revisions('default', 'hello').map((r) => r.outcome)).toEqual(['pending']);
    fns.observed(remote(5, 5, ['True'], ['True']));
    const [r1] = fns.revisions('default', 'hello');
    expect(r1).toMatchObject({ number: 1, outcome: 'ready', generation: 1 });
    expect(r1!.latencyMs).toBeGreaterThanOrEqual(0);
    // Two quick saves: the first never ran (superseded), the second failed, revision 1 keeps serving.
    fns.pushed('APPLIED', fn('v2', 2), { metadata: { generation: 6 } }, Date.now());
    fns.pushed('APPLIED', fn('v3 syntax error', 3), { metadata: { generation: 7 } }, Date.now());
    fns.observed(remote(7, 7, ['False', 'SourceUpdateFailed'], ['True'], 'SyntaxError: Unexpected identifier'));
    expect(fns.revisions('default', 'hello').map((r) => [r.number, r.outcome])).toEqual([
      [1, 'ready'],
      [2, 'superseded'],
      [3, 'failed'],
    ]);
    expect(fns.details('default', 'hello')).toMatchObject({
      currentRevision: 1,
      workers: [],
      lastError: { message: 'SyntaxError: Unexpected identifier', revision: 3 },
      access: { inCluster: 'http://hello.default.svc.cluster.local', hostUrl: 'https://cluster:6443/api/v1/namespaces/default/services/hello/proxy/', curl: 'kubectl get --raw /api/v1/namespaces/default/services/hello/proxy/' },
    });
    // Without the cluster proxy (cluster not up) there is nowhere to invoke.
    expect(() => fns.functionUrl('default', 'hello')).toThrow('the cluster is not up');
    // A new daemon reads the history back.
    await new Promise((r) => setTimeout(r, 200));
    const again = make();
    again.load();
    expect(again.revisions('default', 'hello').map((r) => r.outcome)).toEqual(['ready', 'superseded', 'failed']);
  });

  it('marks only the spec the rollback wrote as the rollback (not an older write still queued in the sync)', async () => {
    const rb = (source: string, generation: number): KubeObject => ({ ...fn(source, generation), metadata: { name: 'rb', namespace: 'default', generation } });
    const status = (g: number): KubeObjectLike => ({ ...remote(g, g, ['True'], ['True']), metadata: { name: 'rb', namespace: 'default', generation: g } });
    await store.create(rb('v1', 1));
    const fns = make();
    fns.load();
    fns.pushed('APPLIED', rb('v1', 1), { metadata: { generation: 1 } }, Date.now());
    fns.observed(status(1));
    await store.patch(FUNCTION, 'default', 'rb', { spec: { source: { inline: { source: 'v2' } } } }, 'merge');
    fns.pushed('APPLIED', rb('v2', 2), { metadata: { generation: 2 } }, Date.now());
    fns.observed(status(2));
    const rollback = fns.rollback('default', 'rb');
    await new Promise((r) => setTimeout(r, 50));
    expect(store.find(FUNCTION, 'default', 'rb')?.spec?.source).toEqual({ inline: { source: 'v1' } });
    // A save that was already queued reaches the cluster first: an ordinary revision.
    fns.pushed('APPLIED', rb('v2 edited', 3), { metadata: { generation: 3 } }, Date.now());
    // Then the rollback's spec.
    fns.pushed('APPLIED', store.find(FUNCTION, 'default', 'rb')!, { metadata: { generation: 4 } }, Date.now());
    fns.observed(status(4));
    expect(await rollback).toMatchObject({ number: 4, outcome: 'ready', rollbackOf: 1 });
    expect(fns.revisions('default', 'rb').map((r) => [r.number, r.outcome, r.rollbackOf])).toEqual([
      [1, 'superseded', undefined],
      [2, 'rolled-back', undefined],
      [3, 'superseded', undefined],
      [4, 'ready', 1],
    ]);
  });

  it('refuses a rollback with nothing earlier to go to, naming the good revisions', async () => {
    const fns = make();
    fns.load();
    await expect(fns.rollback('default', 'hello')).rejects.toThrow('has no earlier good revision to roll back to');
    await expect(fns.rollback('default', 'hello', 3)).rejects.toThrow('good ones: 1');
    await expect(fns.rollback('default', 'nope')).rejects.toThrow('function default/nope is not deployed');
  });
});

describe('the event inspector on a cluster', () => {
  it('is bounded in bytes, oldest out first, and says deliveries are not observed', () => {
    const events = new ClusterEvents({ proxy: () => undefined, limits: () => ({ events: 1000, eventBytes: 200_000 }) });
    const data = 'x'.repeat(4000);
    const imported: EventWithAttempts[] = Array.from({ length: 100 }, (_, i) => ({
      id: `e${i}`,
      type: 'order.created.v1',
      source: 'shop',
      subject: '',
      time: new Date(1_700_000_000_000 + i).toISOString(),
      publishedAt: new Date(1_700_000_000_000 + i).toISOString(),
      data,
      extensions: {},
      headers: {},
      via: 'api',
      subscriptions: [],
      note: CLUSTER_DELIVERY_NOTE,
      attempts: [],
    }));
    expect(events.importEvents(imported)).toBe(100);
    const kept = events.queryEvents({ limit: 1000 });
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(100);
    // Newest first, and the newest survived.
    expect(kept[0]!.id).toBe('e99');
    expect(events.getEvent('e0')).toBeUndefined();
    expect(kept.every((e) => e.deliveries.length === 0 && e.note === CLUSTER_DELIVERY_NOTE)).toBe(true);
    // Nothing is known about subscriptions here: such a filter matches nothing rather than inventing a delivery.
    expect(events.queryEvents({ subscription: { namespace: 'default', name: 'sink-orders' } })).toEqual([]);
    expect(events.queryEvents({ outcome: 'delivered' })).toEqual([]);
  });

  it('publishing without the cluster up says what to do', async () => {
    const events = new ClusterEvents({ proxy: () => undefined, limits: () => ({ events: 10, eventBytes: 1e6 }) });
    await expect(events.publish({ type: 'a', source: 'b' })).rejects.toThrow('the cluster is not up — run `kyma-local up`');
    await expect(events.publish({ type: '', source: 'b' })).rejects.toThrow('non-empty "type" and "source"');
  });
});
