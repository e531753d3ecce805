import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeWorkerSocketDir, workerSocketDir, workerSocketPath } from './worker-socket.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('worker socket folder', () => {
  it('is <stateDir>/sockets, private, emptied of sockets left by a killed daemon', () => {
    const state = mkdtempSync(path.join(tmpdir(), 'kl-sock-'));
    made.push(state);
    const first = workerSocketDir(state);
    expect(first).toBe(path.join(state, 'sockets'));
    writeFileSync(path.join(first, 'w-stale.sock'), '');
    const again = workerSocketDir(state);
    expect(existsSync(path.join(again, 'w-stale.sock'))).toBe(false);
    expect(statSync(again).mode & 0o777).toBe(0o700);
    expect(workerSocketPath(again)).toMatch(new RegExp(`^${again}/w-[0-9a-f]{16}\\.sock$`));
  });

  it('moves to a private temp folder when the state dir is too long for a socket address, and removes it after', () => {
    const state = path.join(mkdtempSync(path.join(tmpdir(), 'kl-sock-')), 'x'.repeat(90));
    made.push(path.dirname(state));
    const dir = workerSocketDir(state);
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(workerSocketPath(dir).length).toBeLessThanOrEqual(100);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    removeWorkerSocketDir(dir, state);
    expect(existsSync(dir)).toBe(false);
  });
});
