// Test helpers: build the runtime once, start real worker processes with a handler folder written by the test.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'main/core/function-runtime');
export const SERVER_ENTRY = path.join(ROOT, 'dist/main/core/function-runtime/server.js');

function newestSource(): number {
  return Math.max(...readdirSync(SRC).filter((f) => f.endsWith('.ts')).map((f) => statSync(path.join(SRC, f)).mtimeMs));
}

function isStale(): boolean {
  try {
    return statSync(SERVER_ENTRY).mtimeMs < newestSource();
  } catch {
    return true;
  }
}

/** Compiles only this module (fast, unaffected by other modules' work in progress) when dist is stale. */
export async function ensureBuilt(): Promise<void> {
  if (!isStale()) return;
  const lock = path.join(os.tmpdir(), 'kyma-local-function-runtime-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200)); // another test file is compiling
    }
  }
  try {
    if (isStale()) {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'test/function-runtime/tsconfig.build.json')], { stdio: 'inherit' });
    }
  } finally {
    rmdirSync(lock);
  }
}

export interface Worker {
  proc: ChildProcess;
  port: number;
  url: string;
  dir: string;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first stdout line matching. */
  waitForLine(re: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export type Files = Record<string, string | { symlink: string }>;

/** Writes files (path → content, or a symlink to an absolute path) into a fresh temp folder. */
export function handlerDir(files: Files): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyma-fn-'));
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    if (typeof content === 'string') writeFileSync(target, content);
    else symlinkSync(content.symlink, target);
  }
  return dir;
}

/** Forks the worker with an IPC channel; resolves on its {type:'ready'} message (or rejects on exit). */
export function startProcess(dir: string, env: Record<string, string> = {}): Omit<Worker, 'port' | 'url'> & { ready: Promise<number> } {
  const proc = fork(SERVER_ENTRY, [], {
    env: { PATH: process.env.PATH ?? '', FUNC_HANDLER_DIR: dir, FUNC_PORT: '0', FUNC_NAME: 'test-fn', ...env },
    silent: true,
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const collect = (sink: string[], stream: NodeJS.ReadableStream | null): void => {
    let buf = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        sink.push(line);
        for (const w of [...waiters]) {
          if (w.re.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    });
  };
  collect(stdout, proc.stdout);
  collect(stderr, proc.stderr);
  // 'exit' plus the end of both output streams, so that the last stderr lines are collected.
  const ended = (s: NodeJS.ReadableStream | null) => new Promise<void>((resolve) => (s ? s.once('end', resolve) : resolve()));
  const exited = Promise.all([
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.once('exit', (code, signal) => resolve({ code, signal })),
    ),
    ended(proc.stdout),
    ended(proc.stderr),
  ]).then(([status]) => status);
  const ready = new Promise<number>((resolve, reject) => {
    proc.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'ready' && typeof m.port === 'number') resolve(m.port);
    });
    void exited.then(({ code }) => reject(new Error(`worker exited with ${code} before ready:\n${stderr.join('\n')}`)));
  });
  const waitForLine = (re: RegExp): Promise<string> => {
    const seen = [...stdout, ...stderr].find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ re, resolve }));
  };
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  return { proc, dir, stdout, stderr, waitForLine, exited, stop, ready };
}

export async function startWorker(files: Files, env: Record<string, string> = {}): Promise<Worker> {
  const dir = handlerDir(files);
  const p = startProcess(dir, env);
  try {
    const port = await p.ready;
    return { ...p, port, url: `http://127.0.0.1:${port}` };
  } catch (err) {
    await p.stop();
    throw err;
  }
}
