import { isAlive as alive } from '../helpers/cli.js';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleFixture } from './bundle.js';

let dir: string;
let daemonJs: string;
const pids: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-pdeath-'));
  daemonJs = await bundleFixture(path.join(import.meta.dirname, 'fixtures/supervised-daemon.ts'), dir);
});
afterAll(async () => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone: what the test expects
    }
  }
  await rm(dir, { recursive: true, force: true });
});


it.runIf(process.platform === 'linux')('children die with the daemon even when it is SIGKILLed', async () => {
  const daemon = spawn(process.execPath, [daemonJs, path.join(dir, 'state')], { stdio: ['ignore', 'pipe', 'inherit'] });
  pids.push(daemon.pid!);
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: daemon.stdout! }).once('line', resolve);
    daemon.once('exit', (code) => reject(new Error(`daemon exited early with ${code}`)));
  });
  const { childPid } = JSON.parse(first) as { childPid: number };
  pids.push(childPid);
  expect(alive(childPid)).toBe(true);

  const exited = new Promise((r) => daemon.once('exit', r));
  daemon.kill('SIGKILL');
  await exited;
  let gone = false;
  for (let i = 0; i < 200 && !gone; i++) {
    gone = !alive(childPid);
    if (!gone) await new Promise((r) => setTimeout(r, 25));
  }
  expect(gone).toBe(true);
});
