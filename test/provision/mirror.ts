import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create as createTar } from 'tar';
import { findNatsServer, natsRelease } from '../../main/core/embedded/nats/index.js';

/**
 * A download mirror on 127.0.0.1 laid out like the upstream release (`/nats-io/nats-server/releases/download/
 * v<version>/<asset>` and `SHA256SUMS`), serving an archive built from this machine's nats-server.
 */
export interface TestMirror {
  url: string;
  /** Every request path served, in order. */
  requests: string[];
  /** Serve the archive with one byte flipped (SHA256SUMS stays that of the good archive). */
  corrupt: boolean;
  close(): Promise<void>;
}

export async function startMirror(dir: string): Promise<TestMirror> {
  const system = findNatsServer();
  if (!system) throw new Error('the tests need a nats-server on PATH to build the mirror archive (apt-get install nats-server)');
  const rel = natsRelease({ base: 'http://unused' });
  const stage = path.join(dir, 'stage');
  await mkdir(path.join(stage, rel.folder), { recursive: true });
  // Same layout as upstream's archive: one folder holding the binary and its license/readme.
  await copyFile(system.path, path.join(stage, rel.folder, rel.binaryName));
  await writeFile(path.join(stage, rel.folder, 'README.md'), '# NATS Server\n');
  const archive = path.join(dir, rel.asset);
  await createTar({ gzip: true, file: archive, cwd: stage, portable: true }, [rel.folder]);
  const good = await readFile(archive);
  const sha = createHash('sha256').update(good).digest('hex');
  const sums = `${'0'.repeat(64)}  nats-server-v${rel.version}-other-arch.tar.gz\n${sha}  ${rel.asset}\n`;
  const prefix = `/nats-io/nats-server/releases/download/v${rel.version}/`;
  const mirror: TestMirror = { url: '', requests: [], corrupt: false, close: () => close(server) };
  const server: Server = createServer((req, res) => {
    const p = req.url ?? '';
    mirror.requests.push(p);
    if (p === `${prefix}SHA256SUMS`) {
      res.end(sums);
    } else if (p === `${prefix}${rel.asset}`) {
      const body = Buffer.from(good);
      if (mirror.corrupt) body[body.length >> 1]! ^= 0xff;
      res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'application/gzip' });
      res.end(body);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mirror.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return mirror;
}

function close(server: Server): Promise<void> {
  return new Promise((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}

/** A PATH holding only node and npm (symlinks), so no system nats-server can be found. */
export async function pathWithoutNats(dir: string): Promise<string> {
  const bin = path.join(dir, 'bin-no-nats');
  await mkdir(bin, { recursive: true });
  await symlink(process.execPath, path.join(bin, 'node'));
  const npm = findOnPath('npm');
  if (npm) await symlink(npm, path.join(bin, 'npm'));
  return bin;
}

function findOnPath(name: string): string | undefined {
  return (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, name)).find((f) => existsSync(f));
}
