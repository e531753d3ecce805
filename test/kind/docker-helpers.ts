import { mkdtemp, mkdir, rm, symlink, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
