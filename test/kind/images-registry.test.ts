import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient, loadBundle, mirrorPath, pushBundleToRegistry, readVerifiedNodeImages, resolveNodeImage, saveBundle } from '../../main/core/kind/index.js';
import { loadProfile } from '../../main/core/profiles/index.js';
import { dockerRunning, importBusyboxImage, importRegistryImage, pushStandIn, REGISTRY_BIN, startTestRegistry, uniqueName } from './docker-helpers.js';

// `images load` pushing into the local registry, against a real registry: Debian's docker-registry (the CNCF
// distribution registry that the `registry:3` image also runs, v2.8 here) in a container built with `docker
// import`, since no image can be pulled here. `.ci/run` installs the package.
const running = await dockerRunning();
if (running && !existsSync(REGISTRY_BIN) && process.env.KYMA_LOCAL_REQUIRE_DOCKER === '1') throw new Error(`KYMA_LOCAL_REQUIRE_DOCKER=1 but ${REGISTRY_BIN} is missing (apt-get install docker-registry)`);
const skip = !running || !existsSync(REGISTRY_BIN);
const why = skip ? ` (skipped: ${running ? `no ${REGISTRY_BIN}` : 'no Docker engine'})` : '';

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
  // The kind node image's stand-in, pushed into the test registry so Docker knows its digest, pinned like kind's.
  let nodeTag: string;
  let nodePin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kl-imgreg-'));
    await within(90_000, 'building the registry image with docker import', importRegistryImage(registryImage));
    await within(60_000, 'building the module image with docker import', importBusyboxImage(moduleImage, ['sleep', '3600']));
    port = await within(60_000, 'starting the test registry', startTestRegistry(container, registryImage));
    nodeTag = `localhost:${port}/${id}/node:v1.34.3`;
    nodePin = await within(60_000, 'pushing the node stand-in', pushStandIn(nodeTag));
  }, 240_000);

  afterAll(async () => {
    await docker.getContainer(container).remove({ force: true, v: true }).catch(() => undefined);
    for (const image of [moduleImage, registryImage, nodeTag]) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the archive and pushes every image under its mirror path, leaving no extra tags', async () => {
    const base = await loadProfile('kind');
    const profile = { name: 'reg-test', modules: [], limits: base.limits, kind: { ...base.kind!, nodeImage: nodePin, registryImage, extraImages: [moduleImage] } };
    const file = join(dir, 'bundle.tar');
    await saveBundle(docker, profile, { cacheDir: dir, file });
    await docker.getImage(moduleImage).remove({ force: true });

    const progress: string[] = [];
    const r = await loadBundle(docker, { file, registry: { container, hostPort: port }, onProgress: (m) => progress.push(m) });
    expect(r.loaded.sort()).toEqual([moduleImage, registryImage, nodeTag].sort());
    // The node image is for \`kind create\`, not for pods: it stays out of the registry.
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
    expect(tagged.filter((t) => t.startsWith(`localhost:${port}/`) && t !== nodeTag)).toEqual([]);
  });

  it('on up, pushes the profile images Docker has into the registry and leaves the others to their registries', async () => {
    const base = await loadProfile('kind');
    const profile = { name: 'up-test', modules: [], limits: base.limits, kind: { ...base.kind!, nodeImage: nodePin, registryImage, extraImages: [moduleImage, `${id}/not-in-docker:1`] } };
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
    const profile = { name: 'pull-test', modules: [], limits: base.limits, kind: { ...base.kind!, nodeImage: nodePin, registryImage, extraImages: [remote] } };
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

  it('carries the kind node image: save verifies it against the pin, load remembers that, up uses the tag only for that image', async () => {
    const base = await loadProfile('kind');
    const profile = { name: 'node-test', modules: [], limits: base.limits, kind: { ...base.kind!, nodeImage: nodePin, registryImage, extraImages: [] } };
    const cacheDir = join(dir, 'node-cache');
    const file = join(dir, 'node.tar');
    const nodeId = (await docker.getImage(nodeTag).inspect()).Id;
    const digestRef = nodePin.replace(/:v1\.34\.3@/, '@');
    // Not in Docker at all: save pulls it by its pinned tag@digest reference (here from the test registry).
    await docker.getImage(nodeId).remove({ force: true });
    const progress: string[] = [];
    const saved = await saveBundle(docker, profile, { cacheDir, file, onProgress: (m) => progress.push(m) });
    expect(saved.pulled).toEqual([nodePin]);
    expect(progress).toContain(`verified ${nodeTag} is ${nodeId}, the image ${nodePin} names (recorded in the archive: digests do not survive docker load)`);
    expect(saved.manifest.nodeImage).toEqual({ pinned: nodePin, image: nodeTag, id: nodeId, verifiedAt: saved.manifest.createdAt });
    expect(saved.manifest.images.find((i) => i.image === nodeTag)).toMatchObject({ id: nodeId, sources: ['kind node image'] });
    // Docker has the digest: up uses the pin as it is.
    expect(await resolveNodeImage(docker, cacheDir, nodePin)).toMatchObject({ image: nodePin });

    // Gone from Docker, then loaded from the archive: Docker has the tag but not the digest (kind#4028).
    await docker.getImage(nodeId).remove({ force: true });
    const loadProgress: string[] = [];
    const loaded = await loadBundle(docker, { file, cacheDir, registry: { container: `${id}-no-registry`, hostPort: 1 }, onProgress: (m) => loadProgress.push(m) });
    expect(loaded.loaded).toContain(nodeTag);
    const info = await docker.getImage(nodeTag).inspect();
    expect(info.Id).toBe(nodeId);
    expect(info.RepoDigests ?? []).toEqual([]);
    await expect(docker.getImage(digestRef).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(readVerifiedNodeImages(cacheDir)).toEqual({ [nodePin]: { id: nodeId, verifiedAt: saved.manifest.createdAt } });
    expect(loadProgress.some((m) => m.startsWith(`verified ${nodeTag} is ${nodeId}`))).toBe(true);
    const choice = await resolveNodeImage(docker, cacheDir, nodePin);
    expect(choice.image).toBe(nodeTag);
    expect(choice.reason).toContain('lost its digest in save/load (kind#4028)');
    // Without the record (another cache), or with another image under the tag, up keeps the pin.
    expect((await resolveNodeImage(docker, join(dir, 'other-cache'), nodePin)).image).toBe(nodePin);
    await docker.getImage(registryImage).tag({ repo: nodeTag.replace(/:v1\.34\.3$/, ''), tag: 'v1.34.3' });
    const other = await resolveNodeImage(docker, cacheDir, nodePin);
    expect(other.image).toBe(nodePin);
    expect(other.reason).toContain('not the verified');
    // Nor does save archive an unverified tag: offline it names the pin and why.
    await expect(saveBundle(docker, profile, { cacheDir, file: join(dir, 'never.tar'), offline: true })).rejects.toThrow(`  - ${nodePin} (Docker does not have it by digest; --offline cannot pull it)`);
  });
});
