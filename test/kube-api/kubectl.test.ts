import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RESOURCE_TYPES } from '../../main/core/model/index.js';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from './server.js';

// Stock kubectl against the API. Skipped (with the reason in the test name) only when kubectl is missing.
// KYMA_LOCAL_TEST_KUBECTL picks another binary (e.g. Debian 12's kubectl 1.20 unpacked somewhere).
const KUBECTL = process.env.KYMA_LOCAL_TEST_KUBECTL ?? 'kubectl';
const kubectlVersion = await execa(KUBECTL, ['version', '--client', '-o', 'json'], { reject: false }).catch(() => undefined);
const haveKubectl = kubectlVersion !== undefined && kubectlVersion.exitCode === 0;
// kubectl before 1.27 validates only against a protobuf OpenAPI v2 document, which the daemon does not serve:
// those need --validate=false (the one flag the README documents for them); 1.27+ needs none.
const minor = haveKubectl ? Number((JSON.parse(kubectlVersion.stdout) as { clientVersion?: { minor?: string } }).clientVersion?.minor?.replace(/\D/g, '') ?? 99) : 99;
const legacy = minor < 27;

const MANIFEST = (source: string): string => `
apiVersion: serverless.kyma-project.io/v1alpha2
kind: Function
metadata:
  name: orders
  labels:
    app: x
spec:
  runtime: nodejs22
  source:
    inline:
      source: |
        module.exports = { main: async () => '${source}' };
---
apiVersion: eventing.kyma-project.io/v1alpha2
kind: Subscription
metadata:
  name: orders-created
spec:
  sink: http://orders.default.svc.cluster.local
  source: myapp
  types:
    - order.created.v1
---
apiVersion: gateway.kyma-project.io/v2
kind: APIRule
metadata:
  name: orders
spec:
  hosts: [orders]
  service: { name: orders, namespace: default, port: 80 }
  gateway: kyma-system/kyma-gateway
  rules:
    - path: /*
      methods: [GET, POST]
      noAuth: true
---
apiVersion: v1
kind: Secret
metadata:
  name: orders-db
type: Opaque
stringData:
  password: s3cret
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-config
data:
  LEVEL: debug
---
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: commerce
spec:
  description: Commerce backend
`;

const INVALID = `
apiVersion: serverless.kyma-project.io/v1alpha2
kind: Function
metadata:
  name: broken
spec:
  runtime: nodejs99
  source:
    inline:
      source: "module.exports = { main: () => 1 };"
`;

describe.skipIf(!haveKubectl)(`stock kubectl${haveKubectl ? '' : ' (skipped: kubectl is not installed on PATH)'}`, () => {
  let s: TestKubeServer;
  let kubeconfig: string;
  const file = (name: string): string => path.join(s.dir, name);
  const kubectl = (...args: string[]) =>
    // HOME and --cache-dir in the temp dir: the discovery/OpenAPI cache must not leak between runs or into ~/.kube.
    execa(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', file('cache'), ...(legacy && args[0] === 'apply' ? ['--validate=false'] : []), ...args], { reject: false, env: { HOME: s.dir }, timeout: 30_000 });

  beforeAll(async () => {
    s = await startKubeServer();
    kubeconfig = await writeKubeconfig(s);
    await writeFile(file('v1.yaml'), MANIFEST('v1'));
    await writeFile(file('v2.yaml'), MANIFEST('v2'));
    await writeFile(file('invalid.yaml'), INVALID);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('applies a multi-document Kyma manifest', async () => {
    const r = await kubectl('apply', '-f', file('v1.yaml'));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'function.serverless.kyma-project.io/orders created',
      'subscription.eventing.kyma-project.io/orders-created created',
      'apirule.gateway.kyma-project.io/orders created',
      'secret/orders-db created',
      'configmap/orders-config created',
      'application.applicationconnector.kyma-project.io/commerce created',
    ]);
    // kubectl's default --validate=strict found fieldValidation in /openapi/v3 and left validation to the server.
    const posts = s.requests.filter((q) => q.method === 'POST');
    expect(posts).toHaveLength(6);
    if (!legacy) expect(posts.every((q) => q.url.includes('fieldValidation=Strict'))).toBe(true);
    // Over plain http kubectl sends no bearer token; the token rides in the server URL's userinfo instead.
    expect(posts.every((q) => q.authorization.startsWith('Basic '))).toBe(true);
  });

  it('re-applies an edited Function as a configured merge patch with generation 2', async () => {
    const r = await kubectl('apply', '-f', file('v2.yaml'));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('function.serverless.kyma-project.io/orders configured');
    expect(r.stdout).toContain('subscription.eventing.kyma-project.io/orders-created unchanged');
    expect(r.stdout).toContain('application.applicationconnector.kyma-project.io/commerce unchanged');
    const patch = s.requests.find((q) => q.method === 'PATCH' && q.url.includes('/functions/orders'));
    expect(patch?.contentType).toBe('application/merge-patch+json');
    // The Secret is patched on every apply (its stringData is folded into data, so the three-way diff re-adds it),
    // as a strategic merge patch because Secret is a built-in kind to kubectl.
    const secretPatch = s.requests.find((q) => q.method === 'PATCH' && q.url.includes('/secrets/orders-db'));
    expect(secretPatch?.contentType).toBe('application/strategic-merge-patch+json');
    const gen = await kubectl('get', 'fn', 'orders', '-o', 'jsonpath={.metadata.generation}');
    expect(gen.stdout).toBe('2');
  });

  it('shows the printer columns in kubectl get', async () => {
    const r = await kubectl('get', 'functions');
    expect(r.exitCode).toBe(0);
    const [header, row] = r.stdout.split('\n');
    expect(header!.split(/\s+/)).toEqual(['NAME', 'RUNTIME', 'CONFIGURED', 'RUNNING', 'REPLICAS', 'AGE']);
    expect(row).toMatch(/^orders\s+nodejs22\s+1\s+\d+s$/);
    const wide = await kubectl('get', 'fn', '-o', 'wide');
    expect(wide.stdout.split('\n')[0]).toContain('REVISION');
  });

  it('prints the object as YAML', async () => {
    const r = await kubectl('get', 'fn', 'orders', '-o', 'yaml');
    expect(r.exitCode).toBe(0);
    const obj = parseYaml(r.stdout) as { apiVersion: string; metadata: Record<string, unknown> & { annotations: Record<string, string> }; spec: { replicas: number; source: { inline: { source: string } } } };
    expect(obj.apiVersion).toBe('serverless.kyma-project.io/v1alpha2');
    expect(obj.metadata).toMatchObject({ name: 'orders', namespace: 'default', labels: { app: 'x' }, generation: 2 });
    expect(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain("'v2'");
    expect(obj.spec.source.inline.source).toContain("'v2'");
    expect(obj.spec.replicas).toBe(1);
  });

  it('filters by label', async () => {
    const hit = await kubectl('get', 'fn', '-l', 'app=x', '-o', 'name');
    expect(hit.stdout).toBe('function.serverless.kyma-project.io/orders');
    const miss = await kubectl('get', 'fn', '-l', 'app=nope');
    expect(miss.stderr).toContain('No resources found in default namespace.');
  });

  it('prints the field errors of a 422 for an invalid manifest', async () => {
    const r = await kubectl('apply', '-f', file('invalid.yaml'));
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('The Function "broken" is invalid');
    expect(r.stderr).toContain('spec.runtime: Unsupported value: "nodejs99"');
  });

  it('deletes everything with delete -f', async () => {
    const r = await kubectl('delete', '-f', file('v2.yaml'));
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(6);
    for (const t of RESOURCE_TYPES) expect(s.store.list(t).items.filter((o) => o.kind !== 'Namespace')).toEqual([]);
    const left = await kubectl('get', 'fn,subscriptions,apirules,secrets,configmaps,applications', '-A', '-o', 'name');
    expect(left.stdout).toBe('');
  });
});
