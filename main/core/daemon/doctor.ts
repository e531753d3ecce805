import { accessSync, constants, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorCheck } from '../api/doctor.js';
import type { Profile, RuntimeKind } from '../profiles/index.js';
import type { RuntimeStatus } from '../runtime.js';
import { describeHolder, findPortHolder, isPortFree, natsServerCheck } from '../embedded/index.js';

export interface DoctorContext {
  /** The daemon's state dir (KYMA_LOCAL_HOME). */
  stateDir: string;
  /** The running cluster, whose own listeners are not "ports in use". */
  cluster: RuntimeStatus;
}

const MIN_NODE = [20, 6] as const;
const LOW_DISK_BYTES = 512 * 1024 * 1024;

/**
 * What each runtime needs beyond the common checks. The one place runtime preflights plug in: the kind runtime's
 * `kindPreflight()` (Docker engine, kind, node image) is added here as `kind: () => kindPreflight(profile)`.
 */
const RUNTIME_CHECKS: Record<RuntimeKind, (profile: Profile, ctx: DoctorContext) => Promise<DoctorCheck[]>> = {
  embedded: async (profile, ctx) => [await natsServerCheck(profile.natsServer), npmCheck(), ...(await portChecks(profile, ctx))],
  kind: async () => [{ name: 'kind runtime', status: 'fail', detail: 'the kind runtime is not part of this build yet', fix: 'use an embedded profile (default, minimal)' }],
};

/** One report of everything `profile` needs on this machine, each line OK or the fix. Runs in the daemon: its PATH, env and state dir are what `up` uses. */
export async function runDoctor(profile: Profile, ctx: DoctorContext): Promise<DoctorCheck[]> {
  return [nodeCheck(), stateDirCheck(ctx.stateDir), ...(await RUNTIME_CHECKS[profile.runtime](profile, ctx))];
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

function npmCheck(): DoctorCheck {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      accessSync(join(dir, 'npm'), constants.X_OK);
      return { name: 'npm', status: 'ok', detail: `${join(dir, 'npm')} (installs function dependencies)` };
    } catch {
      // keep looking
    }
  }
  return { name: 'npm', status: 'warn', detail: 'not on PATH: functions with dependencies in package.json cannot be deployed', fix: 'install npm (it comes with Node.js)' };
}

async function portChecks(profile: Profile, ctx: DoctorContext): Promise<DoctorCheck[]> {
  const ours = new Map<number, string>();
  for (const c of ctx.cluster.components) for (const p of Object.values(c.ports ?? {})) ours.set(p, c.name);
  const checks: DoctorCheck[] = [];
  for (const [field, port] of Object.entries(profile.ports)) {
    const name = `port ${field}`;
    if (port === 0) {
      checks.push({ name, status: 'ok', detail: 'any free port (0)' });
    } else if (ours.has(port)) {
      checks.push({ name, status: 'ok', detail: `${port} in use by this cluster's ${ours.get(port)}` });
    } else if (await isPortFree(port)) {
      checks.push({ name, status: 'ok', detail: `${port} is free` });
    } else {
      const holder = describeHolder(await findPortHolder(port));
      checks.push({ name, status: 'fail', detail: `${port} is in use (${holder})`, fix: `stop that process or set ports.${field} in the profile (0 = any free port)` });
    }
  }
  return checks;
}
