import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../model/index.js';
import { childrenFilePath, createSupervisor, procStartTime, reapOrphans, readChildren, type ProcessSpec, type ProcessStatus, type Supervisor } from './index.js';
import { isRunning } from './proc.js';

let dir: string;
let sup: Supervisor;
const stray: number[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-sup-'));
  sup = createSupervisor({ stateDir: dir, log: silentLogger });
});
afterEach(async () => {
  await sup.stopAll();
  for (const pid of stray.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

function node(name: string, script: string, extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return { name, command: process.execPath, args: ['-e', script], readiness: { kind: 'none' }, ...extra };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Resolves with the first status that satisfies `pred` (event-driven, no sleeps). */
function waitFor(name: string, pred: (s: ProcessStatus) => boolean): Promise<ProcessStatus> {
  const proc = sup.get(name)!;
  return new Promise((resolve) => {
    if (pred(proc.status())) return resolve(proc.status());
    const off = proc.onStateChange((s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!(await isRunning(pid))) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

describe('supervisor', () => {
  it('waits for a tcp readiness check, records the child, and stops it', async () => {
    const port = await freePort();
    const script = `setTimeout(() => require('net').createServer().listen(${port}, '127.0.0.1'), 150)`;
    const proc = await sup.start(node('srv', script, { readiness: { kind: 'tcp', port } }));
    const st = proc.status();
    expect(st.state).toBe('Ready');
    expect(st.pid).toBeGreaterThan(0);
    const recorded = await readChildren(dir);
    expect(recorded).toEqual([expect.objectContaining({ pid: st.pid, name: 'srv', command: process.execPath })]);
    expect(recorded[0]!.startTime).toBe(await procStartTime(st.pid!));
    await proc.stop();
    expect(proc.status().state).toBe('Stopped');
    expect(await isRunning(st.pid!)).toBe(false);
    expect(sup.get('srv')).toBeUndefined();
    expect(sup.list()).toEqual([]);
    await sup.stopAll();
    expect(JSON.parse(await readFile(childrenFilePath(dir), 'utf8')).children).toEqual([]);
  });

  it('rejects with the last stderr when not ready in time, and stops the process', async () => {
    const lines: string[] = [];
    const script = `console.log(process.pid); console.error('cannot bind: EADDRINUSE'); setInterval(() => {}, 1000)`;
    const spec = node('slow', script, { readiness: { kind: 'tcp', port: await freePort() }, startTimeoutMs: 2000, onLine: (l) => lines.push(l) });
    await expect(sup.start(spec)).rejects.toThrow('Failed to start slow: not ready after 2s; last stderr: cannot bind: EADDRINUSE');
    expect(sup.get('slow')!.status().state).toBe('Failed');
    expect(await isRunning(Number(lines[0]))).toBe(false);
  });

  it('reports an exit before readiness with its code', async () => {
    const spec = node('dies', `console.error('bad config'); process.exit(3)`, { readiness: { kind: 'http', url: 'http://127.0.0.1:1/' } });
    await expect(sup.start(spec)).rejects.toThrow(/Failed to start dies: exited with code 3 before it became ready; last stderr: bad config/);
  });

  it('restarts a killed process with a new pid and counts the restart', async () => {
    const proc = await sup.start(node('victim', 'setInterval(() => {}, 1000)', { restart: { initialBackoffMs: 20 } }));
    const first = proc.status().pid!;
    const seen: string[] = [];
    proc.onStateChange((s) => seen.push(s.state));
    process.kill(first, 'SIGKILL');
    await waitFor('victim', (s) => s.state === 'Backoff');
    // ready() waits for the next incarnation rather than reporting the dead one.
    await proc.ready();
    const after = proc.status();
    expect(after).toMatchObject({ state: 'Ready' });
    expect(after.pid).not.toBe(first);
    expect(after.restarts).toBe(1);
    expect(after.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(seen.slice(0, 3)).toEqual(['Backoff', 'Starting', 'Ready']);
    expect(after.message).toBeUndefined();
  });

  it('backs off exponentially and enters CrashLoop, keeps stderr, never restarts after stop', async () => {
    const messages: string[] = [];
    const spec = node('loop', `console.error('crash #' + process.pid); setTimeout(() => process.exit(2), 30)`, {
      restart: { initialBackoffMs: 10, maxBackoffMs: 40, crashLoopThreshold: 4, crashLoopWindowMs: 60_000 },
    });
    const proc = await sup.start(spec);
    proc.onStateChange((s) => {
      if (s.message) messages.push(s.message);
    });
    const looping = await waitFor('loop', (s) => s.state === 'CrashLoop');
    expect(looping.lastExit?.code).toBe(2);
    expect(looping.restarts).toBeGreaterThanOrEqual(3);
    expect(looping.lastStderr.filter((l) => l.startsWith('crash #')).length).toBeGreaterThanOrEqual(3);
    const delays = messages.map((m) => Number(/restarting in (\d+) ms/.exec(m)?.[1])).filter((n) => n > 0);
    expect(delays.slice(0, 4)).toEqual([10, 20, 40, 40]);
    await proc.stop();
    const restarts = proc.status().restarts;
    await new Promise((r) => setTimeout(r, 150));
    expect(proc.status()).toMatchObject({ state: 'Stopped', restarts });
  });

  it('sends SIGKILL when SIGTERM is ignored past the grace period', async () => {
    const lines: string[] = [];
    let up = false;
    const script = `process.on('SIGTERM', () => console.log('ignoring TERM')); console.log('up'); setInterval(() => {}, 1000)`;
    const proc = await sup.start(
      node('stubborn', script, {
        stopGraceMs: 300,
        readiness: { kind: 'custom', check: async () => up },
        onLine: (l) => {
          lines.push(l);
          if (l === 'up') up = true;
        },
      }),
    );
    const pid = proc.status().pid!;
    await proc.stop();
    expect(proc.status()).toMatchObject({ state: 'Stopped', lastExit: { signal: 'SIGKILL' } });
    expect(lines).toContain('ignoring TERM');
    expect(await isRunning(pid)).toBe(false);
  });

  it('gives ipc children a channel through the setpriv wrapper', async () => {
    const lines: string[] = [];
    let said = false;
    const script = `console.log('connected=' + process.connected); setInterval(() => {}, 1000)`;
    const spec = node('ipc', script, {
      ipc: true,
      readiness: { kind: 'custom', check: async () => said },
      onLine: (l) => {
        lines.push(l);
        said = true;
      },
    });
    await sup.start(spec);
    expect(lines).toEqual(['connected=true']);
  });

  it('refuses a second process with the same live name', async () => {
    await sup.start(node('dup', 'setInterval(() => {}, 1000)'));
    await expect(sup.start(node('dup', 'setInterval(() => {}, 1000)'))).rejects.toThrow(/already supervised/);
  });
});

describe('reapOrphans', () => {
  async function orphan(): Promise<number> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
    child.unref();
    stray.push(child.pid!);
    return child.pid!;
  }

  it('kills children left in children.json by a crashed daemon', async () => {
    const pid = await orphan();
    const rec = { pid, name: 'left', command: process.execPath, args: [], startTime: await procStartTime(pid), startedAt: new Date().toISOString() };
    await writeFile(childrenFilePath(dir), JSON.stringify({ children: [rec] }));
    expect(await reapOrphans(dir, silentLogger)).toBe(1);
    expect(await waitGone(pid)).toBe(true);
    expect(await readChildren(dir)).toEqual([]);
  });

  it('never kills a pid that now belongs to another process', async () => {
    const pid = await orphan();
    const rec = { pid, name: 'reused', command: 'nats-server', args: [], startTime: '1', startedAt: new Date().toISOString() };
    await writeFile(childrenFilePath(dir), JSON.stringify({ children: [rec] }));
    expect(await reapOrphans(dir, silentLogger)).toBe(0);
    expect(await isRunning(pid)).toBe(true);
  });
});
