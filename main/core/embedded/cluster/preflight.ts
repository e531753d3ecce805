import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { DoctorCheck } from '../../api/index.js';
import type { Profile } from '../../profiles/index.js';
import type { RuntimeStatus } from '../../runtime.js';
import { describeHolder, ensureNatsServer, findPortHolder, isPortFree, natsServerCheck } from '../nats/index.js';
import { dependencyCacheKey, hasDependencies } from '../serverless/index.js';

/** What the embedded runtime needs on this machine: nats-server, npm, the profile's fixed ports. */
export async function embeddedPreflight(profile: Profile, cluster: RuntimeStatus): Promise<DoctorCheck[]> {
  return [await natsServerCheck(profile.natsServer), npmCheck(), ...(await portChecks(profile, cluster))];
}

/** Fetches what `up` would otherwise fetch (nats-server), so the next `up` works offline. */
export async function embeddedSetup(profile: Profile, onProgress: (message: string) => void, offline: boolean): Promise<string[]> {
  const nats = await ensureNatsServer(profile.natsServer, { offline, onProgress });
  return [`nats-server: ${nats}`];
}

/** The dependency cache entry (`<home>/cache/npm/<key>`) a Function's inline package.json installs into, if it has dependencies. */
export function functionDependencyCacheKey(packageJson: string): string | undefined {
  // The same text the serverless controller hashes (effective-config trims it).
  const text = packageJson.trim();
  return hasDependencies(text) ? dependencyCacheKey(text) : undefined;
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

async function portChecks(profile: Profile, cluster: RuntimeStatus): Promise<DoctorCheck[]> {
  // The running cluster's own listeners are not "ports in use".
  const ours = new Map<number, string>();
  for (const c of cluster.components) for (const p of Object.values(c.ports ?? {})) ours.set(p, c.name);
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
