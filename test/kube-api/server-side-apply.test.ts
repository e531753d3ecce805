import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from './server.js';

// `kubectl apply --server-side` against the API: create, update, field conflicts and --force-conflicts.
const KUBECTL = process.env.KYMA_LOCAL_TEST_KUBECTL ?? 'kubectl';
const probe = await execa(KUBECTL, ['version', '--client', '-o', 'json'], { reject: false }).catch(() => undefined);
const haveKubectl = probe !== undefined && probe.exitCode === 0;

const manifest = (replicas: number, label: string): string => `apiVersion: serverless.kyma-project.io/v1alpha2
kind: Function
metadata:
  name: ssa
  labels: { team: ${label} }
spec:
  runtime: nodejs22
  replicas: ${replicas}
  source:
    inline:
      source: "module.exports = { main: () => 'ssa' };"
`;

describe.skipIf(!haveKubectl)(`kubectl apply --server-side${haveKubectl ? '' : ' (skipped: kubectl is not installed on PATH)'}`, () => {
  let s: TestKubeServer;
  let kubeconfig: string;
  const file = (name: string): string => path.join(s.dir, name);
  const kubectl = (...args: string[]) => execa(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', file('cache'), ...args], { reject: false, env: { HOME: s.dir }, timeout: 30_000 });

  beforeAll(async () => {
    s = await startKubeServer();
    kubeconfig = await writeKubeconfig(s);
    await writeFile(file('a.yaml'), manifest(1, 'a'));
    await writeFile(file('b.yaml'), manifest(2, 'b'));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates and then updates with the kubectl field manager', async () => {
    const created = await kubectl('apply', '--server-side', '-f', file('a.yaml'));
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('function.serverless.kyma-project.io/ssa serverside-applied');
    const got = await kubectl('get', 'function', 'ssa', '-o', 'yaml', '--show-managed-fields');
    const obj = parseYaml(got.stdout) as { metadata: { managedFields: Array<{ manager: string; operation: string }> } };
    expect(obj.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Apply' })]);
  });

  it('another manager changing an owned field is a conflict until --force-conflicts', async () => {
    const conflict = await kubectl('apply', '--server-side', '--field-manager', 'ci', '-f', file('b.yaml'));
    expect(conflict.exitCode).not.toBe(0);
    expect(conflict.stderr).toContain('conflict with "kubectl"');
    expect(conflict.stderr).toContain('.spec.replicas');
    const forced = await kubectl('apply', '--server-side', '--field-manager', 'ci', '--force-conflicts', '-f', file('b.yaml'));
    expect(forced.stderr).toBe('');
    expect(forced.exitCode).toBe(0);
    const got = parseYaml((await kubectl('get', 'function', 'ssa', '-o', 'yaml')).stdout) as { metadata: { labels: Record<string, string> }; spec: { replicas: number } };
    expect(got.spec.replicas).toBe(2);
    expect(got.metadata.labels).toEqual({ team: 'b' });
  });

  it('--dry-run=server answers without writing', async () => {
    await writeFile(file('c.yaml'), manifest(5, 'b'));
    const r = await kubectl('apply', '--server-side', '--field-manager', 'ci', '--dry-run=server', '-f', file('c.yaml'));
    expect(r.exitCode).toBe(0);
    const got = parseYaml((await kubectl('get', 'function', 'ssa', '-o', 'yaml')).stdout) as { spec: { replicas: number } };
    expect(got.spec.replicas).toBe(2);
  });
});
