import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, createTestHome, type TestHome } from '../helpers/cli.js';

const kubectl = process.env.KYMA_LOCAL_TEST_KUBECTL ?? ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
// kubectl before 1.27 validates only against a protobuf OpenAPI v2 document, which the daemon does not serve.
const minor = kubectl
  ? Number((JSON.parse((await execa(kubectl, ['version', '--client', '-o', 'json'], { reject: false })).stdout || '{}') as { clientVersion?: { minor?: string } }).clientVersion?.minor?.replace(/\D/g, '') ?? 99)
  : 99;
const legacyFlags = minor < 27 ? ['--validate=false'] : [];
const STACK = join(REPO, 'test', 'fixtures', 'hello-stack.yaml');

describe.skipIf(!kubectl)(`stock kubectl against the daemon with \`kyma-local kubeconfig\`${kubectl ? '' : ' (skipped: kubectl not installed)'}`, () => {
  let home: TestHome;
  let kc: string;
  const run = (args: string[]) =>
    execa(kubectl!, ['--kubeconfig', kc, '--cache-dir', join(home.dir, 'kube-cache'), ...args], { env: { HOME: home.dir }, reject: false });

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile()]);
    kc = join(home.dir, 'kubeconfig');
    await home.cli(['kubeconfig', '--write', kc]);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('applies Kyma YAML with kubectl and the CLI sees it; kubectl deletes it', async () => {
    const applied = await run(['apply', ...legacyFlags, '-f', STACK]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('function.serverless.kyma-project.io/hello created');
    const table = String((await home.cli(['get', 'functions'])).stdout);
    expect(table).toMatch(/hello\s+nodejs22/);
    const got = await run(['get', 'fn', 'hello', '-o', 'jsonpath={.spec.runtime}']);
    expect(got.stdout).toBe('nodejs22');
    const del = await run(['delete', '-f', STACK]);
    expect(del.exitCode).toBe(0);
    const gone = await home.cli(['get', 'fn', 'hello'], { reject: false });
    expect(gone.exitCode).not.toBe(0);
  });

  it('kubectl without the kubeconfig token is refused', async () => {
    const r = await execa(kubectl!, ['--server', (await home.cli(['status', '-o', 'json']).then((x) => JSON.parse(String(x.stdout)).daemon.url)), 'get', 'fn'], {
      env: { HOME: home.dir },
      reject: false,
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|credentials/i);
  });
});
