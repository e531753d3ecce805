import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** What a running daemon publishes in its state dir so clients can find it. */
export interface DaemonInfo {
  pid: number;
  port: number;
  url: string;
  startedAt: string;
  version: string;
}

export function writeDaemonInfo(file: string, info: DaemonInfo): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

export function readDaemonInfo(file: string): DaemonInfo | undefined {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<DaemonInfo>;
    if (typeof raw.pid !== 'number' || typeof raw.port !== 'number' || typeof raw.url !== 'string') return undefined;
    return { pid: raw.pid, port: raw.port, url: raw.url, startedAt: String(raw.startedAt ?? ''), version: String(raw.version ?? '') };
  } catch {
    return undefined;
  }
}

/** Removes daemon.json only if it still describes this process (a newer daemon may have replaced it). */
export function removeDaemonInfo(file: string, pid: number): void {
  const info = readDaemonInfo(file);
  if (info && info.pid !== pid) return;
  rmSync(file, { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
