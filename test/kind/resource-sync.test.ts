import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FUNCTION, NAMESPACE, RESOURCE_TYPES, silentLogger, type KubeObject } from '../../main/core/model/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { KubeClient, ResourceSync } from '../../main/core/kind/index.js';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from '../kube-api/server.js';

// The daemon's store ↔ a cluster, through client-node. The "cluster" is a second Kubernetes-shaped API server
// (the daemon's kube-api on its own store): what the sync sends and reads is plain Kubernetes REST.

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fn = (name: string, namespace: string, source: string): KubeObject => ({
  apiVersion: 'serverless.kyma-project.io/v1alpha2',
  kind: 'Function',
  metadata: { name, namespace },
  spec: { runtime: 'nodejs22', source: { inline: { source } } },
});

describe('resource sync between the daemon store and a cluster', () => {
  let cluster: TestKubeServer;
  let dir: string;
  let local: FileStore;
  let sync: ResourceSync;
  const errors: string[] = [];

  beforeAll(async () => {
    cluster = await startKubeServer();
    dir = await mkdtemp(path.join(tmpdir(), 'kl-sync-'));
    local = await createFileStore({ dir, types: RESOURCE_TYPES });
    await local.create(fn('before', 'default', 'module.exports = { main: () => 0 };'));
    const client = new KubeClient({ kubeconfigPath: await writeKubeconfig(cluster) });
    sync = new ResourceSync({ store: local, client, types: RESOURCE_TYPES, log: silentLogger, onError: (m) => errors.push(m) });
    await sync.start();
  });
  afterAll(async () => {
    sync?.stop();
    await local?.close();
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies what was in the store before the sync started', () => {
    expect(cluster.store.find(FUNCTION, 'default', 'before')?.spec).toMatchObject({ runtime: 'nodejs22' });
  });

  it('applies new and changed objects with the kyma-local field manager, creating their namespace', async () => {
    await local.create(fn('orders', 'shop', 'module.exports = { main: () => 1 };'));
    const remote = await until('orders on the cluster', () => cluster.store.find(FUNCTION, 'shop', 'orders'));
    expect(cluster.store.find(NAMESPACE, undefined, 'shop')).toBeDefined();
    expect(remote.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kyma-local', operation: 'Apply' })]);
    await local.patch(FUNCTION, 'shop', 'orders', { spec: { replicas: 2 } }, 'merge');
    await until('replicas 2 on the cluster', () => ((cluster.store.find(FUNCTION, 'shop', 'orders')?.spec as { replicas?: number }).replicas === 2 ? true : undefined));
  });

  it("copies the cluster's status back into the store", async () => {
    await cluster.store.patchStatus(FUNCTION, 'shop', 'orders', { conditions: [{ type: 'Running', status: 'True', reason: 'DeploymentReady' }], replicas: 2 });
    const st = await until('status in the store', () => local.find(FUNCTION, 'shop', 'orders')?.status);
    expect(st).toMatchObject({ conditions: [{ type: 'Running', status: 'True' }], replicas: 2 });
    // Writing status locally does not push status to the cluster (the cluster's controllers own it).
    await sync.idle();
    expect(cluster.store.find(FUNCTION, 'shop', 'orders')?.metadata.managedFields?.length).toBe(1);
  });

  it('deletes what is deleted from the store', async () => {
    await local.delete(FUNCTION, 'shop', 'orders');
    await until('orders gone from the cluster', () => (cluster.store.find(FUNCTION, 'shop', 'orders') ? undefined : true));
    expect(errors).toEqual([]);
  });
});
