import { readdir, readFile, readlink } from 'node:fs/promises';
import net from 'node:net';

export interface PortHolder {
  pid?: number;
  /** /proc/<pid>/comm, e.g. `nats-server`. */
  name?: string;
  /** Owner uid of the listening socket (from /proc/net/tcp), when known. */
  uid?: number;
}

/** True when 127.0.0.1:port can be bound right now (a listener on 0.0.0.0 or ::, too, makes it false). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port the OS considers free now. Another process may still take it before we bind: callers retry. */
export function pickFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Who listens on a TCP port (Linux): the socket inode from /proc/net/tcp{,6} matched against the
 * /proc/<pid>/fd links. Another user's process cannot be inspected: then only its uid is known.
 */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  const sockets = [...(await listeners('/proc/net/tcp', port)), ...(await listeners('/proc/net/tcp6', port))];
  if (sockets.length === 0) return undefined;
  const inodes = new Set(sockets.map((s) => s.inode));
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1]!)) {
        const name = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
        return { pid: Number(pid), ...(name ? { name } : {}), uid: sockets[0]!.uid };
      }
    }
  }
  return { uid: sockets[0]!.uid };
}

async function listeners(file: string, port: number): Promise<Array<{ inode: string; uid: number }>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const out: Array<{ inode: string; uid: number }> = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    // State 0A is LISTEN.
    if (!local || cols[3] !== '0A') continue;
    if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
    out.push({ inode: cols[9] ?? '', uid: Number(cols[7]) });
  }
  return out;
}

/** `pid 123, nats-server` / `a process of uid 1000 that this user cannot inspect` / `an unidentified process`. */
export function describeHolder(h: PortHolder | undefined): string {
  if (h?.pid !== undefined) return `pid ${h.pid}${h.name ? `, ${h.name}` : ''}`;
  if (h?.uid !== undefined) return `held by a process of uid ${h.uid} that this user cannot inspect`;
  return 'held by a process that could not be identified';
}
