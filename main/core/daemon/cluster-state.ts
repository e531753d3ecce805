import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Whether the cluster should be running, persisted so a restarted daemon restarts what was running. */
export interface ClusterState {
  wantUp: boolean;
  profile?: string;
}

export function readClusterState(file: string): ClusterState {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterState>;
    return { wantUp: raw.wantUp === true, ...(typeof raw.profile === 'string' ? { profile: raw.profile } : {}) };
  } catch {
    return { wantUp: false };
  }
}

export function writeClusterState(file: string, state: ClusterState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
