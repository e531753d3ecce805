import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { ApiException } from '@kubernetes/client-node';
import { KubeClient, waitForState, type KubeObjectLike } from '../../main/core/kind/index.js';
import { FUNCTION } from '../../main/core/model/index.js';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from '../kube-api/server.js';

// @kubernetes/client-node — the kind runtime's cluster client — against the daemon's Kubernetes-shaped API on a
// real HTTP server: server-side apply with field managers, informer watches, status, delete.

const fn = (source: string, labels: Record<string, string> = { app: 'orders' }, replicas = 1): KubeObjectLike => ({
  apiVersion: 'serverless.kyma-project.io/v1alpha2',
  kind: 'Function',
  metadata: { name: 'orders', namespace: 'default', labels },
  spec: { runtime: 'nodejs22', replicas, source: { inline: { source } } },
});

describe('client-node against the daemon API', () => {
  let s: TestKubeServer;
  let client: KubeClient;
  let other: KubeClient;

  beforeAll(async () => {
    s = await startKubeServer();
    const kubeconfigPath = await writeKubeconfig(s);
    client = new KubeClient({ kubeconfigPath });
    other = new KubeClient({ kubeconfigYaml: await readFile(kubeconfigPath, 'utf8'), context: 'kyma-local', fieldManager: 'teammate' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates with server-side apply and records the field manager', async () => {
    const created = await client.apply(fn('module.exports = { main: () => 1 };', { app: 'orders', tier: 'backend' }));
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.generation).toBe(1);
    const mf = created.metadata?.managedFields ?? [];
    expect(mf).toHaveLength(1);
    expect(mf[0]).toMatchObject({ manager: 'kyma-local', operation: 'Apply', fieldsType: 'FieldsV1' });
    expect(mf[0]!.fieldsV1).toMatchObject({ 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } }, 'f:spec': { 'f:replicas': {}, 'f:runtime': {} } });
    const sent = s.requests.find((r) => r.method === 'PATCH');
    expect(sent?.contentType).toBe('application/apply-patch+yaml');
    expect(sent?.url).toContain('fieldManager=kyma-local');
    // Stored like any other write: readable through the store and with kubectl's defaults applied.
    expect(s.store.get(FUNCTION, 'default', 'orders').spec).toMatchObject({ runtime: 'nodejs22' });
  });

  it('re-applying changes what it sets and drops what it no longer sets', async () => {
    const updated = await client.apply(fn('module.exports = { main: () => 2 };', { app: 'orders' }));
    expect(updated.metadata?.labels).toEqual({ app: 'orders' });
    expect(updated.metadata?.generation).toBe(2);
    expect((updated.spec as { source: { inline: { source: string } } }).source.inline.source).toContain('() => 2');
    // The same configuration again is a no-op: no new generation.
    const again = await client.apply(fn('module.exports = { main: () => 2 };', { app: 'orders' }));
    expect(again.metadata?.generation).toBe(2);
  });

  it("refuses to change another manager's field without force, and moves ownership with force", async () => {
    let err: unknown;
    try {
      await other.apply(fn('module.exports = { main: () => 2 };', { app: 'orders' }, 3), { force: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<unknown>).code).toBe(409);
    expect(String((err as ApiException<unknown>).body)).toContain('conflict with \\"kyma-local\\": .spec.replicas');
    // The same value is no conflict: both managers then share the field.
    const shared = await other.apply(fn('module.exports = { main: () => 2 };', { app: 'orders' }, 1), { force: false });
    expect(shared.metadata?.managedFields?.map((m) => m.manager).sort()).toEqual(['kyma-local', 'teammate']);
    const forced = await other.apply(fn('module.exports = { main: () => 2 };', { app: 'orders' }, 3), { force: true });
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    const mine = forced.metadata?.managedFields?.find((m) => m.manager === 'kyma-local');
    expect(JSON.stringify(mine?.fieldsV1)).not.toContain('f:replicas');
  });

  it('dry-run apply validates and returns the result without writing', async () => {
    const before = s.store.get(FUNCTION, 'default', 'orders').metadata.resourceVersion;
    const res = await client.apply(fn('module.exports = { main: () => 9 };', { app: 'orders' }), { dryRun: true });
    expect((res.spec as { source: { inline: { source: string } } }).source.inline.source).toContain('() => 9');
    expect(s.store.get(FUNCTION, 'default', 'orders').metadata.resourceVersion).toBe(before);
    // Invalid configuration answers 422 naming the field, as for any write.
    const bad = fn('x');
    (bad.spec as { runtime: string }).runtime = 'nodejs99';
    await expect(client.apply(bad)).rejects.toMatchObject({ code: 422 });
  });

  it('waits for status.state through an informer and reports each state with its message', async () => {
    const type = FUNCTION;
    const seen: Array<[string | undefined, string | undefined]> = [];
    const wait = waitForState(client, { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', plural: 'functions', name: 'orders', namespace: 'default' }, {
      readyStates: ['Ready'],
      timeoutMs: 20_000,
      onState: (state, message) => seen.push([state, message]),
    });
    await new Promise((r) => setTimeout(r, 300));
    await s.store.patchStatus(type, 'default', 'orders', { state: 'Processing', conditions: [{ type: 'Installed', status: 'False', message: 'installing the operator' }] });
    await new Promise((r) => setTimeout(r, 300));
    await s.store.patchStatus(type, 'default', 'orders', { state: 'Ready', conditions: [{ type: 'Installed', status: 'True', message: 'installed' }] });
    const done = await wait;
    expect(done.status?.state).toBe('Ready');
    expect(seen).toContainEqual(['Processing', 'installing the operator']);
    expect(seen[seen.length - 1]).toEqual(['Ready', 'installed']);
  });

  it('a wait that times out names the last state and the CR message', async () => {
    const type = FUNCTION;
    await s.store.patchStatus(type, 'default', 'orders', { state: 'Warning', conditions: [{ message: 'No backend is configured' }] });
    await expect(
      waitForState(client, { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', plural: 'functions', name: 'orders', namespace: 'default' }, { readyStates: ['Ready'], timeoutMs: 1500 }),
    ).rejects.toThrow(/Function orders is not Ready after 2 s \(state Warning: No backend is configured\)/);
  });

  it('applies status through the status subresource and keeps spec', async () => {
    const res = await fetch(`${s.url}/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions/orders/status?fieldManager=status-writer`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/apply-patch+yaml' },
      body: 'apiVersion: serverless.kyma-project.io/v1alpha2\nkind: Function\nmetadata:\n  name: orders\nstatus:\n  state: Ready\n',
    });
    expect(res.status).toBe(200);
    const obj = (await res.json()) as KubeObjectLike;
    expect(obj.status?.state).toBe('Ready');
    expect((obj.spec as { replicas: number }).replicas).toBe(3);
    expect(obj.metadata?.managedFields?.find((m) => m.manager === 'status-writer')).toMatchObject({ subresource: 'status', fieldsV1: { 'f:status': { 'f:state': {} } } });
  });

  it('an apply without a field manager is refused, as by the apiserver', async () => {
    const res = await fetch(`${s.url}/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions/orders`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/apply-patch+yaml' },
      body: 'apiVersion: serverless.kyma-project.io/v1alpha2\nkind: Function\nmetadata:\n  name: orders\n',
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toContain('fieldManager: Required value');
  });

  it('lists, reads and deletes idempotently', async () => {
    expect((await client.list('serverless.kyma-project.io/v1alpha2', 'Function', 'default')).map((o) => o.metadata?.name)).toEqual(['orders']);
    expect((await client.get({ apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', metadata: { name: 'orders', namespace: 'default' } }))?.metadata?.name).toBe('orders');
    const ref = { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', metadata: { name: 'orders', namespace: 'default' } };
    expect(await client.delete(ref)).toBe(true);
    expect(await client.delete(ref)).toBe(false);
    expect(await client.get(ref)).toBeUndefined();
  });
});
