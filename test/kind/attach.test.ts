import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FUNCTION, RESOURCE_TYPES, silentLogger } from '../../main/core/model/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { parseProfile } from '../../main/core/profiles/index.js';
import { KindRuntime } from '../../main/core/kind/index.js';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from '../kube-api/server.js';

// runtime: kubernetes — attach to an existing cluster by kubeconfig and context. The cluster here is a
// Kubernetes-shaped API server (the daemon's kube-api on its own store), reached with client-node.

describe('attaching to an existing cluster', () => {
  let cluster: TestKubeServer;
  let dir: string;
  let store: FileStore;
  let kubeconfig: string;

  const profileFor = async (context: string) => {
    const file = path.join(dir, `attach-${context}.yaml`);
    const text = `apiVersion: kyma-local.io/v1alpha1\nkind: ClusterProfile\nmetadata:\n  name: attach\nspec:\n  runtime: kubernetes\n  modules: [serverless]\n  kubernetes:\n    kubeconfig: ${path.basename(kubeconfig)}\n    context: ${context}\n`;
    await writeFile(file, text);
    return parseProfile(text, file);
  };

  beforeAll(async () => {
    cluster = await startKubeServer();
    kubeconfig = await writeKubeconfig(cluster);
    dir = path.dirname(kubeconfig);
    store = await createFileStore({ dir: await mkdtemp(path.join(tmpdir(), 'kl-attach-')), types: RESOURCE_TYPES });
  });
  afterAll(async () => {
    await store?.close();
    await cluster?.close();
  });

  it('the profile names the kubeconfig (relative to the profile) and context', async () => {
    const p = await profileFor('kyma-local');
    expect(p.runtime).toBe('kubernetes');
    expect(p.kubernetes).toEqual({ kubeconfig, context: 'kyma-local' });
  });

  it('connects, reports modules the cluster lacks with the fix, and mirrors the store onto the cluster', async () => {
    const rt = new KindRuntime({ stateDir: path.join(dir, 'rt'), cacheDir: path.join(dir, 'cache'), store, types: RESOURCE_TYPES, log: silentLogger, attach: true });
    const status = await rt.up(await profileFor('kyma-local'), () => {});
    expect(status.runtime).toBe('kubernetes');
    expect(status.components.find((c) => c.name === 'cluster')).toMatchObject({ state: 'Ready', message: expect.stringContaining(`${cluster.url} (Kubernetes v`) });
    expect(status.components.find((c) => c.name === 'serverless')).toMatchObject({ state: 'Failed', message: expect.stringContaining('no Serverless resource on this cluster — add the serverless module') });
    expect(status.phase).toBe('Degraded');
    await store.create({ apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', metadata: { name: 'hi', namespace: 'default' }, spec: { runtime: 'nodejs22', source: { inline: { source: 'module.exports = { main: () => 1 };' } } } });
    for (let i = 0; i < 100 && !cluster.store.find(FUNCTION, 'default', 'hi'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(cluster.store.find(FUNCTION, 'default', 'hi')).toBeDefined();
    // down lets go of the cluster without touching it: later store writes no longer reach it.
    await rt.down();
    expect(rt.status().phase).toBe('Stopped');
    await store.delete(FUNCTION, 'default', 'hi');
    await new Promise((r) => setTimeout(r, 300));
    expect(cluster.store.find(FUNCTION, 'default', 'hi')).toBeDefined();
  });

  it('an unknown context fails naming the contexts there are', async () => {
    const rt = new KindRuntime({ stateDir: path.join(dir, 'rt2'), cacheDir: path.join(dir, 'cache'), store, types: RESOURCE_TYPES, log: silentLogger, attach: true });
    await expect(rt.up(await profileFor('prod'), () => {})).rejects.toThrow('kubeconfig has no context "prod" — available: kyma-local');
    expect(rt.status()).toMatchObject({ phase: 'Stopped', components: [{ name: 'cluster', state: 'Failed' }] });
  });
});
