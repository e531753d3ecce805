import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CLI, createTestHome, statusJson, type TestHome } from '../helpers/cli.js';
import { dockerRunning, freePort } from './docker-helpers.js';

// `kyma-local up --profile kind` through the CLI and a real daemon, on a machine with Docker but without kind,
// a node image or internet (as here and in CI). The kind release URL points at a closed port, so a machine that
// is online behaves the same.
const running = await dockerRunning();

describe('up --profile kind from the CLI', () => {
  let home: TestHome | undefined;
  afterEach(async () => {
    await home?.cleanup();
    home = undefined;
  });

  const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
    home ??= await createTestHome();
    const env = { ...home.env, PATH: '/usr/bin:/bin', KYMA_LOCAL_KIND_BASE_URL: `http://127.0.0.1:${await freePort()}`, ...extraEnv };
    return execa(process.execPath, [CLI, ...args], { env, cwd: home.dir, reject: false, timeout: 60_000 });
  };

  it.skipIf(!running)(`--dry-run prints the kind config, pinned manifests and images, and the preflight${running ? '' : ' (skipped: no Docker engine)'}`, async () => {
    const r = await run(['up', '--profile', 'kind', '--dry-run']);
    expect(r.exitCode).toBe(0);
    const cfg = parseYaml(r.stdout.split('<<EOF\n')[1]!.split('\n# EOF')[0]!) as { apiVersion: string; nodes: Array<{ image: string }> };
    expect(cfg.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(cfg.nodes[0]!.image).toMatch(/^kindest\/node:v1\.34\.3@sha256:[0-9a-f]{64}$/);
    expect(r.stdout).toContain('https://github.com/kyma-project/serverless/releases/download/1.13.0/serverless-operator.yaml');
    expect(r.stdout).toContain('europe-docker.pkg.dev/kyma-project/prod/eventing-publisher-proxy:1.3.1');
    expect(r.stderr).toMatch(/✓ Docker engine +Docker \d+/);
    expect(r.stderr).toMatch(/! kind +no kind binary/);
    // Nothing was started: the cluster is still Stopped on the embedded runtime.
    expect((await statusJson(home!)).cluster?.phase).toBe('Stopped');
  });

  it.skipIf(!running)(`with Docker running and no kind: fails naming how to get kind${running ? '' : ' (skipped: no Docker engine)'}`, async () => {
    const r = await run(['up', '--profile', 'kind']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('cluster failed to come up: kind is not installed and could not be downloaded');
    expect(r.stderr).toContain('install kind v0.31.0 (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)');
    expect(r.stderr).toContain(`place it at ${join(home!.dir, 'cache', 'bin', 'kind-v0.31.0')}`);
    const st = await statusJson(home!);
    expect(st.cluster).toMatchObject({ phase: 'Stopped', profile: 'kind', components: [{ name: 'preflight', state: 'Failed' }] });
    // Nothing was started, so a restarted daemon does not retry the kind cluster on its own.
    expect(JSON.parse(readFileSync(join(home!.dir, 'cluster.json'), 'utf8'))).toMatchObject({ wantUp: false, profile: 'kind' });
    // On the kind runtime `kubeconfig` hands out the cluster's, which does not exist before a cluster does.
    const kc = await run(['kubeconfig']);
    expect(kc.exitCode).toBe(1);
    expect(kc.stderr).toContain('the kind cluster has no kubeconfig yet');
    const own = await run(['kubeconfig', '--daemon']);
    expect(own.exitCode).toBe(0);
    expect(own.stdout).toContain('current-context: kyma-local');
  });

  it('with the Docker engine unreachable: fails naming Docker', async () => {
    const r = await run(['up', '--profile', 'kind'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('cluster failed to come up: Docker engine: not reachable at unix:///nonexistent/docker.sock');
    expect(r.stderr).toContain('DOCKER_HOST=unix:///nonexistent/docker.sock is set — check it points at a running engine');
    const dry = await run(['up', '--profile', 'kind', '--dry-run'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(dry.exitCode).toBe(1);
    expect(dry.stdout).toContain('kind.x-k8s.io/v1alpha4');
    expect(dry.stderr).toContain('preflight failed: Docker engine');
  });
});
