import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { dockerClient, importIntoNodes, KIND_CLUSTER_LABEL, KIND_ROLE_LABEL, loadBundle, saveBundle } from '../../main/core/kind/index.js';
import { loadProfile } from '../../main/core/profiles/index.js';
import { BUSYBOX, dockerRunning, importBusyboxImage, pinnedNodeStandIn, REGISTRY_BIN, uniqueName } from './docker-helpers.js';

// `images load` with a kind cluster but no local registry imports the archive into each node's containerd, as
// `kind load image-archive` does. A kind node runs containerd and ctr; here the stand-in node is a container
// labelled like a kind node, holding Debian's ctr and busybox, with the engine's own containerd socket mounted
// where a node has its containerd (real containerd, a namespace of the test's own instead of k8s.io).
const CTR = '/usr/bin/ctr';
const SOCKET = ['/run/containerd/containerd.sock', '/var/run/docker/containerd/containerd.sock'].find((p) => existsSync(p));
const running = await dockerRunning();
const skip = !running || !BUSYBOX || !existsSync(CTR) || !SOCKET || !existsSync(REGISTRY_BIN);
const why = skip ? ` (skipped: ${!running ? 'no Docker engine' : `no busybox-static, ${CTR}, ${REGISTRY_BIN} or containerd socket`})` : '';

/** busybox (for sleep) plus ctr and the libraries ldd names. */
async function importNodeImage(tag: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kl-node-rootfs-'));
  try {
    const libs = (await execa('ldd', [CTR])).stdout.split('\n').map((l) => /(\/\S+) \(0x/.exec(l)?.[1]).filter((p): p is string => !!p);
    for (const file of [CTR, ...libs]) {
      await mkdir(join(dir, dirname(file)), { recursive: true });
      await copyFile(file, join(dir, file));
    }
    await mkdir(join(dir, 'bin'), { recursive: true });
    await copyFile(BUSYBOX!, join(dir, 'bin', 'busybox'));
    await symlink('busybox', join(dir, 'bin', 'sleep'));
    await mkdir(join(dir, 'run', 'containerd'), { recursive: true });
    const tar = execa('tar', ['-C', dir, '-c', '.']);
    const imp = execa('docker', ['import', '--change', 'ENV PATH=/usr/bin:/bin', '--change', 'CMD ["sleep", "3600"]', '-', tag], { stdin: 'pipe' });
    tar.stdout!.pipe(imp.stdin!);
    await Promise.all([tar, imp]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.skipIf(skip)(`images load into the kind nodes' containerd${why}`, () => {
  const docker = dockerClient();
  const id = uniqueName('kl-imgnode');
  const nodeImage = `${id}/node:1`;
  const appImage = `${id}/app:1`;
  const cluster = id;
  const namespace = id;
  const ctr = (...args: string[]) => execa(CTR, ['--address', SOCKET!, '--namespace', namespace, ...args]);
  let dir: string;
  // The profile's kind node image: a stand-in pinned by digest (save archives it too).
  let pinnedNode: { pinned: string; tagRef: string } | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kl-imgnode-'));
    await importNodeImage(nodeImage);
    await importBusyboxImage(appImage, ['sleep', '3600']);
    pinnedNode = await pinnedNodeStandIn(id);
    const node = await docker.createContainer({
      name: `${cluster}-control-plane`,
      Image: nodeImage,
      Labels: { [KIND_CLUSTER_LABEL]: cluster, [KIND_ROLE_LABEL]: 'control-plane' },
      HostConfig: { Binds: [`${SOCKET}:/run/containerd/containerd.sock`] },
    });
    await node.start();
  }, 180_000);

  afterAll(async () => {
    await docker.getContainer(`${cluster}-control-plane`).remove({ force: true }).catch(() => undefined);
    const refs = (await ctr('images', 'ls', '-q').catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
    if (refs.length > 0) await ctr('images', 'rm', '--sync', ...refs).catch(() => undefined);
    await execa(CTR, ['--address', SOCKET!, 'namespaces', 'rm', namespace]).catch(() => undefined);
    for (const image of [appImage, nodeImage, ...(pinnedNode ? [pinnedNode.tagRef] : [])]) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('streams the archive into every running node with ctr, which takes it as a docker save archive', async () => {
    const base = await loadProfile('kind');
    const profile = { name: 'nodes-test', modules: [], limits: base.limits, kind: { ...base.kind!, clusterName: cluster, nodeImage: pinnedNode!.pinned, registryImage: appImage, extraImages: [] } };
    const file = join(dir, 'bundle.tar');
    const saved = await saveBundle(docker, profile, { cacheDir: dir, file });

    const progress: string[] = [];
    const r = await loadBundle(docker, { file, cluster, nodeNamespace: namespace, registry: { container: `${id}-no-registry`, hostPort: 1 }, onProgress: (m) => progress.push(m) });
    expect(r.pushed).toEqual([]);
    expect(r.cluster).toContain(`imported into the containerd of ${cluster}-control-plane (like \`kind load image-archive\`)`);
    expect(progress).toContain(`importing into ${cluster}-control-plane (containerd)`);
    const images = (await ctr('images', 'ls')).stdout;
    expect(images).toContain(`docker.io/${appImage}`);
    // The image containerd holds is the one Docker saved: its config digest is Docker's image id.
    const config = JSON.parse((await ctr('content', 'get', (/application\/vnd\.docker\.distribution\.manifest\.v2\+json\s+(sha256:[0-9a-f]{64})/.exec(images.split('\n').find((l) => l.startsWith(`docker.io/${appImage}`))!) ?? [])[1]!)).stdout) as { config: { digest: string } };
    expect(config.config.digest).toBe(saved.manifest.images.find((i) => i.image === appImage)!.id);
  });

  it('names the node when ctr fails there', async () => {
    const bogus = join(dir, 'not-a-tar.tar');
    await execa('sh', ['-c', `head -c 4096 /dev/zero | tr '\\0' x > '${bogus}'`]);
    await expect(importIntoNodes(docker, bogus, cluster, { namespace })).rejects.toThrow(new RegExp(`importing ${bogus.replace(/[./]/g, '\\$&')} into ${cluster}-control-plane failed \\(ctr exited with \\d+\\): .+`));
  });
});
