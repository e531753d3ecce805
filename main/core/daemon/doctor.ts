import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorCheck } from '../api/index.js';

const MIN_NODE = [20, 6] as const;
const LOW_DISK_BYTES = 512 * 1024 * 1024;

/**
 * One report of everything a profile needs on this machine, each line OK or the fix: the common checks here, the
 * runtime's own (runtime-factory.ts's runtimePreflight) after them. Runs in the daemon: its PATH, env and state
 * dir are what `up` uses.
 */
export async function runDoctor(stateDir: string, runtimeChecks: () => Promise<DoctorCheck[]>): Promise<DoctorCheck[]> {
  return [nodeCheck(), stateDirCheck(stateDir), ...(await runtimeChecks())];
}

function nodeCheck(): DoctorCheck {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  const detail = `${process.version} at ${process.execPath} (functions run on it too)`;
  return ok ? { name: 'Node.js', status: 'ok', detail } : { name: 'Node.js', status: 'fail', detail, fix: `install Node.js ${MIN_NODE.join('.')} or later` };
}

function stateDirCheck(dir: string): DoctorCheck {
  const name = 'state dir';
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    const detail = `${dir} is writable, ${(free / 1024 / 1024 / 1024).toFixed(1)} GiB free`;
    if (free < LOW_DISK_BYTES) return { name, status: 'warn', detail, fix: 'free some disk space: function dependencies and JetStream data live here' };
    return { name, status: 'ok', detail };
  } catch (err) {
    return { name, status: 'fail', detail: `${dir}: ${(err as Error).message}`, fix: 'make it writable for you, or set KYMA_LOCAL_HOME to a directory of your own' };
  }
}
