import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { dockerClient, loadBundle, mirrorPath, pushBundleToRegistry, saveBundle } from '../../main/core/kind/index.js';
import { loadProfile } from '../../main/core/profiles/index.js';
import { dockerRunning, freePort, importBusyboxImage, uniqueName } from './docker-helpers.js';

// `images load` pushing into the local registry, against a real registry: Debian's docker-registry (the CNCF
// distribution registry that the `registry:3` image also runs, v2.8 here) in a container built with `docker
// import`, since no image can be pulled here. `.ci/run` installs the package.
const REGISTRY_BIN = '/usr/bin/docker-registry';
const running = await dockerRunning();
if (running && !existsSync(REGISTRY_BIN) && process.env.KYMA_LOCAL_REQUIRE_DOCKER === '1') throw new Error(`KYMA_LOCAL_REQUIRE_DOCKER=1 but ${REGISTRY_BIN} is missing (apt-get install docker-registry)`);
const skip = !running || !existsSync(REGISTRY_BIN);
const why = skip ? ` (skipped: ${running ? `no ${REGISTRY_BIN}` : 'no Docker engine'})` : '';

const CONFIG = `version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
`;

/** An image running the distribution registry: its binary, the libraries ldd names, a config without auth. */
async function importRegistryImage(tag: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kl-registry-rootfs-'));
  try {
    const libs = (await execa('ldd', [REGISTRY_BIN])).stdout.split('\n').map((l) => /(\/\S+) \(0x/.exec(l)?.[1]).filter((p): p is string => !!p);
    for (const file of [REGISTRY_BIN, ...libs]) {
      await mkdir(join(dir, dirname(file)), { recursive: true });
      await copyFile(file, join(dir, file));
    }
    await mkdir(join(dir, 'etc', 'docker', 'registry'), { recursive: true });
    await mkdir(join(dir, 'var', 'lib', 'registry'), { recursive: true });
    await mkdir(join(dir, 'tmp'));
    await writeFile(join(dir, 'etc', 'docker', 'registry', 'config.yml'), CONFIG);
    // Through a file rather than a pipe between two children: nothing to stall when the machine is busy.
    const rootfs = `${dir}.tar`;
    try {
      await execa('tar', ['-C', dir, '-cf', rootfs, '.']);
      await execa('docker', ['import', '--change', `CMD ${JSON.stringify([REGISTRY_BIN, 'serve', '/etc/docker/registry/config.yml'])}`, rootfs, tag]);
    } finally {
      await rm(rootfs, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fails naming the step when it takes longer than `ms` (the hook's own timeout would not say which). */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(skip)(`images load into the local registry${why}`, () => {
  const docker = dockerClient();
  const id = uniqueName('kl-imgreg');
  const registryImage = `${id}/registry:2.8`;
  // Named like a module image, so the mirror path (registry host dropped) is what containerd would ask for.
  const moduleImage = `europe-docker.pkg.dev/kyma-project/prod/${id}-operator:1.0.0`;
  const container = id;
  let dir: string;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kl-imgreg-'));
    await within(90_000, 'building the registry image with docker import', importRegistryImage(registryImage));
    await within(60_000, 'building the module image with docker import', importBusyboxImage(moduleImage, ['sleep', '3600']));
    port = await freePort();
    const c = await docker.createContainer({
      name: container,
      Image: registryImage,
      ExposedPorts: { '5000/tcp': {} },
      HostConfig: { PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
    });
    await c.start();
    const deadline = Date.now() + 30_000;
    for (;;) {
      // Each probe gets its own timeout: under load the port proxy can hold a connection while the registry starts.
      const ok = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the test registry did not answer on 127.0.0.1:${port}: ${(await c.logs({ stdout: true, stderr: true })).toString()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 240_000);

  afterAll(async () => {
    await docker.getContainer(container).remove({ force: true, v: true }).catch(() => undefined);
    for (const image of [moduleImage, registryImage]) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the archive and pushes every image under its mirror path, leaving no extra tags', async () => {
    const base = await loadProfile('kind');
    const profile = { name: 'reg-test', modules: [], limits: base.limits, kind: { ...base.kind!, registryImage, extraImages: [moduleImage] } };
    const file = join(dir, 'bundle.tar');
    await saveBundle(docker, profile, { cacheDir: dir, file });
    await docker.getImage(moduleImage).remove({ force: true });

    const progress: string[] = [];
    const r = await loadBundle(docker, { file, registry: { container, hostPort: port }, onProgress: (m) => progress.push(m) });
    expect(r.loaded.sort()).toEqual([moduleImage, registryImage].sort());
    expect(mirrorPath(moduleImage)).toBe(`kyma-project/prod/${id}-operator:1.0.0`);
    expect(r.pushed.sort()).toEqual([`localhost:${port}/kyma-project/prod/${id}-operator:1.0.0`, `localhost:${port}/${id}/registry:2.8`].sort());
    expect(r.cluster).toContain(`pushed into the local registry ${container} (localhost:${port})`);
    expect(progress).toContain(`pushing  ${moduleImage} → localhost:${port}/kyma-project/prod/${id}-operator:1.0.0`);

    // The registry serves them where containerd's mirror for europe-docker.pkg.dev asks.
    const tags = (await (await fetch(`http://127.0.0.1:${port}/v2/kyma-project/prod/${id}-operator/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toEqual(['1.0.0']);
    const manifest = await fetch(`http://127.0.0.1:${port}/v2/kyma-project/prod/${id}-operator/manifests/1.0.0`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    expect(manifest.status).toBe(200);
    const config = ((await manifest.json()) as { config: { digest: string } }).config.digest;
    expect(config).toBe((await docker.getImage(moduleImage).inspect()).Id);

    // The push needed `localhost:<port>/…` tags; they are gone again.
    const tagged = (await docker.listImages()).flatMap((i) => i.RepoTags ?? []);
    expect(tagged.filter((t) => t.startsWith(`localhost:${port}/`))).toEqual([]);
  });

  it('on up, pushes the profile images Docker has into the registry and leaves the others to their registries', async () => {
    const base = await loadProfile('kind');
    const profile = { name: 'up-test', modules: [], limits: base.limits, kind: { ...base.kind!, registryImage, extraImages: [moduleImage, `${id}/not-in-docker:1`] } };
    const progress: string[] = [];
    const pushed = await pushBundleToRegistry(docker, profile, { registry: { container, hostPort: port }, onProgress: (m) => progress.push(m) });
    expect(pushed.sort()).toEqual([`localhost:${port}/kyma-project/prod/${id}-operator:1.0.0`, `localhost:${port}/${id}/registry:2.8`].sort());
    expect(progress.some((m) => m.includes('not-in-docker'))).toBe(false);
    // Nothing Docker has: nothing to do, and no registry needed.
    expect(await pushBundleToRegistry(docker, { ...profile, kind: { ...profile.kind, registryImage: `${id}/absent:1`, extraImages: [] } }, { registry: { container: 'no-such-registry', hostPort: 1 } })).toEqual([]);
  });

  it('save pulls what Docker lacks from its registry (here the local one), then bundles it', async () => {
    const remote = `localhost:${port}/kyma-project/prod/${id}-operator:1.0.0`;
    const base = await loadProfile('kind');
    const profile = { name: 'pull-test', modules: [], limits: base.limits, kind: { ...base.kind!, registryImage, extraImages: [remote] } };
    const progress: string[] = [];
    try {
      const r = await saveBundle(docker, profile, { cacheDir: dir, file: join(dir, 'pulled.tar'), onProgress: (m) => progress.push(m) });
      expect(r.pulled).toEqual([remote]);
      expect(progress).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^pulling  ${remote.replace(/[./]/g, '\\$&')} for linux/`)), `pulled   ${remote}`]));
      const pulled = await docker.getImage(remote).inspect();
      expect(r.manifest.images.find((i) => i.image === remote)).toMatchObject({ id: pulled.Id, repoDigests: [expect.stringMatching(new RegExp(`^localhost:${port}/kyma-project/prod/${id}-operator@sha256:[0-9a-f]{64}$`))] });
      expect(pulled.Id).toBe((await docker.getImage(moduleImage).inspect()).Id);
    } finally {
      await docker.getImage(remote).remove({ noprune: true }).catch(() => undefined);
    }
  });
});
