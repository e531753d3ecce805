import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Function workers listen on Unix domain sockets (named pipes on Windows), not loopback ports: a browser can
 * reach any 127.0.0.1 port (DNS rebinding, cookies sent to every port), but not a socket file. Only the daemon's
 * mesh, gateway and event dispatcher connect to them.
 */

// sun_path holds 108 bytes on Linux and 104 on macOS; a socket path must fit with room for the file name.
const MAX_SOCKET_PATH = 100;
const FILE_NAME_LENGTH = 'w-0123456789abcdef.sock'.length;

/**
 * The folder for this cluster's worker sockets: `<stateDir>/sockets`, or a private temp folder when the state dir's
 * path is too long for a socket address. Mode 0700, so other users of the machine cannot connect either. Sockets
 * left by workers killed with the daemon are removed.
 */
export function workerSocketDir(stateDir: string): string {
  if (process.platform === 'win32') return '';
  let dir = path.join(stateDir, 'sockets');
  if (dir.length + 1 + FILE_NAME_LENGTH > MAX_SOCKET_PATH) {
    dir = mkdtempSync(path.join(tmpdir(), 'kyma-local-'));
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(dir)) if (f.endsWith('.sock')) rmSync(path.join(dir, f), { force: true });
  }
  chmodSync(dir, 0o700);
  return dir;
}

/** A fresh socket address in `dir` (a named pipe on Windows, where pipes live in their own namespace). */
export function workerSocketPath(dir: string): string {
  const id = randomBytes(8).toString('hex');
  return process.platform === 'win32' ? `\\\\.\\pipe\\kyma-local-${process.pid}-${id}` : path.join(dir, `w-${id}.sock`);
}

/** Removes the folder when it was a temp one (the state dir's is kept, emptied). */
export function removeWorkerSocketDir(dir: string, stateDir: string): void {
  if (!dir) return;
  if (dir.startsWith(tmpdir()) && !dir.startsWith(stateDir)) rmSync(dir, { recursive: true, force: true });
  else for (const f of readdirSync(dir, { withFileTypes: true })) if (f.name.endsWith('.sock')) rmSync(path.join(dir, f.name), { force: true });
}
