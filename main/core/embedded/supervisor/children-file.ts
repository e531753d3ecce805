import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../model/index.js';
import { isRunning, procStartTime, signal } from './proc.js';

/** One live child as recorded in `<stateDir>/children.json`, so the next daemon can reap it after a crash. */
export interface ChildRecord {
  pid: number;
  name: string;
  command: string;
  args: string[];
  /** Field 22 of /proc/<pid>/stat; together with the pid it identifies the process. */
  startTime?: string;
  startedAt: string;
}

const FILE = 'children.json';

export function childrenFilePath(stateDir: string): string {
  return path.join(stateDir, FILE);
}

export async function readChildren(stateDir: string): Promise<ChildRecord[]> {
  try {
    const data = JSON.parse(await readFile(childrenFilePath(stateDir), 'utf8')) as { children?: ChildRecord[] };
    return Array.isArray(data.children) ? data.children : [];
  } catch {
    return [];
  }
}

let tmpSeq = 0;

/** Write-then-rename so a crash mid-write never leaves a truncated file. */
export async function writeChildren(stateDir: string, children: ChildRecord[]): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const file = childrenFilePath(stateDir);
  const tmp = `${file}.${process.pid}.${tmpSeq++}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ daemonPid: process.pid, children }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * Kills children left behind by a daemon that died without cleaning up. A recorded pid is signalled only
 * when its /proc start time still matches, so a pid the kernel reused for another process is left alone.
 * Returns how many processes were killed.
 */
export async function reapOrphans(stateDir: string, log: Logger): Promise<number> {
  const records = await readChildren(stateDir);
  let killed = 0;
  for (const rec of records) {
    if (!(await isRunning(rec.pid))) continue;
    const now = await procStartTime(rec.pid);
    if (rec.startTime === undefined || now !== rec.startTime) {
      log.info('orphan pid now belongs to another process; leaving it alone', { pid: rec.pid, name: rec.name });
      continue;
    }
    log.warn('killing child left by a previous daemon', { pid: rec.pid, name: rec.name, command: rec.command });
    signal(rec.pid, 'SIGTERM');
    if (!(await waitGone(rec.pid, 2000))) {
      signal(rec.pid, 'SIGKILL');
      await waitGone(rec.pid, 2000);
    }
    killed++;
  }
  if (records.length > 0) await writeChildren(stateDir, []);
  return killed;
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isRunning(pid))) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !(await isRunning(pid));
}
