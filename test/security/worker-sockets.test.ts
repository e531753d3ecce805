/**
 * Function workers listen on Unix domain sockets in a 0700 folder, not on loopback ports: a web page in the
 * user's browser can reach any 127.0.0.1 port (and the browser sends cookies to all of them), but not a socket.
 * The mesh still reaches them, and a worker restarted after a crash finds its socket path free again.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION } from '../../main/core/model/index.js';
import { nodeSpec, startHarness, type Harness } from '../serverless/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** TCP ports a process listens on, from its socket fds and the kernel's tables (Linux). */
function tcpListenPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // fd closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is f[1] (hex ip:port), st is f[3] (0A = LISTEN), inode is f[9].
      if (f[3] === '0A' && inodes.has(f[9] ?? '')) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

function getOverSocket(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .once('error', reject);
  });
}

describe.skipIf(process.platform !== 'linux')('function workers', () => {
  it('listen on a Unix socket in a private folder and on no TCP port, and serve through the mesh', async () => {
    await h.apply('private', nodeSpec("module.exports = { main: () => 'only via the mesh' };"));
    const w = h.module.api.details('default', 'private')!.workers[0]!;
    expect(w.address).toMatch(/^unix:\/.*\.sock$/);
    const socketPath = w.address.slice('unix:'.length);
    expect(statSync(socketPath).isSocket()).toBe(true);
    const dir = socketPath.slice(0, socketPath.lastIndexOf('/'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(tcpListenPorts(w.pid!)).toEqual([]);

    expect(await h.invoke('private')).toEqual({ status: 200, text: 'only via the mesh' });
    expect(await getOverSocket(socketPath, '/healthz')).toMatchObject({ status: 200 });
  });

  it('comes back on its socket after a crash, and its socket file is gone after a delete', async () => {
    await h.apply('crashy', nodeSpec("module.exports = { main: (e) => { if (e.extensions.request.query.die) process.exit(3); return 'alive'; } };"));
    const before = h.module.api.details('default', 'crashy')!.workers[0]!;
    await h.invoke('crashy', { path: '/?die=1' }).catch(() => undefined);
    await h.until(() => {
      const w = h.module.api.details('default', 'crashy')?.workers[0];
      return w !== undefined && w.pid !== before.pid && w.state === 'Ready';
    }, 'the restarted worker');
    // The crash left the socket file behind; the new incarnation replaced it.
    expect(await h.invoke('crashy')).toEqual({ status: 200, text: 'alive' });

    const socketPath = before.address.slice('unix:'.length);
    expect(existsSync(socketPath)).toBe(true);
    await h.store.delete(FUNCTION, 'default', 'crashy');
    await h.module.api.settled('default', 'crashy');
    expect(existsSync(socketPath)).toBe(false);
  });
});
