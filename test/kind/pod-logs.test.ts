import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type KubeObject, type ResourceType } from '../../main/core/model/index.js';
import { FUNCTION_NAME_LABEL, KubeClient, PodLogFollower } from '../../main/core/kind/index.js';
import { createTelemetry } from '../../main/core/telemetry/index.js';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from '../kube-api/server.js';

// The pod log fallback's selection side against a Kubernetes-conformant API server (the daemon's kube-api, here
// also serving Pods as plain objects): which pods are followed, and the log request client-node's Log sends.
// The daemon's API has no pods/log subresource (it answers 404), so the streaming itself is not exercised here:
// podLineRecord and lineSink are unit-tested in main/core/kind/telemetry-bridge.test.ts.
const POD: ResourceType = {
  group: '',
  versions: ['v1'],
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  namespaced: true,
  hasStatus: true,
  categories: [],
  printerColumns: [],
  validate: () => [],
  applyDefaults: (obj: KubeObject) => obj,
};

function pod(namespace: string, name: string, labels: Record<string, string>): Record<string, unknown> & KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'function', image: 'runtime' }] } } as Record<string, unknown> & KubeObject;
}

/** What the kubelet writes through the status subresource. */
function containerState(running: boolean): Record<string, unknown> {
  return { containerStatuses: [{ name: 'function', state: running ? { running: { startedAt: new Date().toISOString() } } : { waiting: { reason: 'ContainerCreating' } } }] };
}

describe('function pod log follower (selection and requests)', () => {
  let cluster: TestKubeServer;
  let client: KubeClient;

  beforeAll(async () => {
    cluster = await startKubeServer({ extraTypes: [POD] });
    client = new KubeClient({ kubeconfigPath: await writeKubeconfig(cluster) });
    for (const ns of ['shop', 'ops']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('follows the running function pods of every namespace, with timestamps and the last 200 lines', async () => {
    await client.apply(pod('shop', 'orders-abc', { [FUNCTION_NAME_LABEL]: 'orders' }));
    await client.apply(pod('shop', 'mailer-def', { [FUNCTION_NAME_LABEL]: 'mailer' }));
    await client.apply(pod('ops', 'nginx-123', { app: 'nginx' }));
    await cluster.store.patchStatus(POD, 'shop', 'orders-abc', containerState(true));
    await cluster.store.patchStatus(POD, 'shop', 'mailer-def', containerState(false));
    await cluster.store.patchStatus(POD, 'ops', 'nginx-123', containerState(true));
    const follower = new PodLogFollower({ client, telemetry: createTelemetry(), log: silentLogger });
    try {
      await follower.start();
      const logRequests = async (): Promise<string[]> => {
        for (let i = 0; i < 50; i++) {
          const seen = cluster.requests.filter((r) => r.url.includes('/log?')).map((r) => r.url);
          if (seen.length > 0) return seen;
          await new Promise((r) => setTimeout(r, 100));
        }
        return [];
      };
      const watch = cluster.requests.find((r) => r.url.startsWith('/api/v1/pods?'));
      expect(new URL(watch!.url, 'http://x').searchParams.get('labelSelector')).toBe(FUNCTION_NAME_LABEL);
      const seen = await logRequests();
      expect(seen).toHaveLength(1);
      const url = new URL(seen[0]!, 'http://x');
      expect(url.pathname).toBe('/api/v1/namespaces/shop/pods/orders-abc/log');
      // (client-node also sends pretty=<follow> and previous=false, which the log endpoint ignores or defaults to.)
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ container: 'function', follow: 'true', timestamps: 'true', tailLines: '200' });

      // The API answered 404 (no pods/log here): that pod is dropped, not retried in a loop.
      await new Promise((r) => setTimeout(r, 300));
      expect(follower.following()).toEqual([]);

      // A pod that becomes Running is followed when its MODIFIED event arrives.
      await cluster.store.patchStatus(POD, 'shop', 'mailer-def', containerState(true));
      for (let i = 0; i < 50 && !cluster.requests.some((r) => r.url.includes('/pods/mailer-def/log?')); i++) await new Promise((r) => setTimeout(r, 100));
      expect(cluster.requests.some((r) => r.url.startsWith('/api/v1/namespaces/shop/pods/mailer-def/log?'))).toBe(true);
      expect(cluster.requests.filter((r) => r.url.includes('/log?')).map((r) => r.url.split('?')[0])).toEqual(['/api/v1/namespaces/shop/pods/orders-abc/log', '/api/v1/namespaces/shop/pods/mailer-def/log']);
    } finally {
      follower.stop();
    }
  });
});
