import { mkdtemp, mkdir, rm, symlink, copyFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path, { dirname, join } from 'node:path';
import { execa } from 'execa';
import { dockerClient } from '../../main/core/kind/index.js';

/** Debian's busybox-static: one static binary is a whole rootfs for test images (nothing can be pulled here). */
export const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));

/** True when a Docker engine answers (CI starts dockerd in .ci/run; elsewhere the tests say why they skip). */
export async function dockerRunning(): Promise<boolean> {
  // A busy engine (several test files at once on two cores) can take seconds to answer a ping.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await dockerClient({ timeoutMs: 10_000 }).ping();
      return true;
    } catch (err) {
      last = err;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ECONNREFUSED') break;
    }
  }
  // CI (.ci/run) starts dockerd and sets this: there a missing engine is a failure, not a skip.
  if (process.env.KYMA_LOCAL_REQUIRE_DOCKER === '1') throw new Error(`KYMA_LOCAL_REQUIRE_DOCKER=1 but no Docker engine answers: ${(last as Error).message}`);
  return false;
}

/** A unique name per test run, so parallel runs and other users of the same engine never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Builds an image with `docker import` from a rootfs holding only busybox and its applet links. `cmd` is the
 * image's CMD (exec form).
 */
export async function importBusyboxImage(tag: string, cmd: string[]): Promise<void> {
  if (!BUSYBOX) throw new Error('busybox-static is not installed (apt-get install busybox-static)');
  const dir = await mkdtemp(path.join(tmpdir(), 'kl-rootfs-'));
  try {
    await mkdir(path.join(dir, 'bin'));
    await mkdir(path.join(dir, 'tmp'));
    await mkdir(path.join(dir, 'etc'));
    await copyFile(BUSYBOX, path.join(dir, 'bin', 'busybox'));
    for (const applet of ['sh', 'sleep', 'cat', 'mkdir', 'httpd', 'ls', 'echo']) await symlink('busybox', path.join(dir, 'bin', applet));
    const tar = execa('tar', ['-C', dir, '-c', '.']);
    const imp = execa('docker', ['import', '--change', `CMD ${JSON.stringify(cmd)}`, '-', tag], { stdin: 'pipe' });
    tar.stdout!.pipe(imp.stdin!);
    await Promise.all([tar, imp]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Debian's docker-registry: the CNCF distribution registry (what `registry:3` runs), for tests that need digests. */
export const REGISTRY_BIN = '/usr/bin/docker-registry';

const CONFIG = `version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
`;

/** An image running the distribution registry: its binary, the libraries ldd names, a config without auth. */
export async function importRegistryImage(tag: string): Promise<void> {
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


/** Starts a registry container from importRegistryImage's image on a free 127.0.0.1 port and waits until it answers. */
export async function startTestRegistry(name: string, image: string): Promise<number> {
  const docker = dockerClient();
  const port = await freePort();
  const c = await docker.createContainer({
    name,
    Image: image,
    ExposedPorts: { '5000/tcp': {} },
    HostConfig: { PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  });
  await c.start();
  const deadline = Date.now() + 30_000;
  for (;;) {
    // Each probe gets its own timeout: under load the port proxy can hold a connection while the registry starts.
    const ok = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return port;
    if (Date.now() > deadline) throw new Error(`the test registry did not answer on 127.0.0.1:${port}: ${(await c.logs({ stdout: true, stderr: true })).toString()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A stand-in kind node image pinned like kind's: a busybox image pushed into a registry, so Docker knows its
 * digest (only a pull or push records one). Returns `<tag>@sha256:<digest>`; `tag` must name the registry.
 */
export async function pushStandIn(tag: string): Promise<string> {
  await importBusyboxImage(tag, ['sleep', '3600']);
  await execa('docker', ['push', tag]);
  const repo = tag.replace(/:[^:/]+$/, '');
  const digest = (await dockerClient().getImage(tag).inspect()).RepoDigests?.find((d) => d.startsWith(`${repo}@`))?.slice(repo.length + 1);
  if (!digest) throw new Error(`pushing ${tag} recorded no digest`);
  return `${tag}@${digest}`;
}

/**
 * For tests that only need some pinned node image in Docker: a registry up just long enough to push the
 * stand-in; the registry's container and image are gone again when this returns.
 */
export async function pinnedNodeStandIn(id: string): Promise<{ pinned: string; tagRef: string }> {
  const docker = dockerClient();
  const registryImage = `${id}/registry-for-node:2.8`;
  await importRegistryImage(registryImage);
  try {
    const port = await startTestRegistry(`${id}-node-registry`, registryImage);
    const tagRef = `localhost:${port}/${id}/node:v1.34.3`;
    return { pinned: await pushStandIn(tagRef), tagRef };
  } finally {
    await docker.getContainer(`${id}-node-registry`).remove({ force: true, v: true }).catch(() => undefined);
    await docker.getImage(registryImage).remove({ force: true }).catch(() => undefined);
  }
}
