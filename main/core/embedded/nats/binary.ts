import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (executable(file)) return file;
  }
  return undefined;
}

export function kymaLocalHome(): string {
  return process.env.KYMA_LOCAL_HOME ?? path.join(os.homedir(), '.kyma-local');
}

export const INSTALL_HINT =
  'install it with `apt-get install nats-server` (Debian/Ubuntu) or `brew install nats-server` (macOS), ' +
  'or set KYMA_LOCAL_NATS_SERVER (or natsServer in the profile) to its path';

/**
 * The nats-server binary: the profile's `natsServer`, then $KYMA_LOCAL_NATS_SERVER, then PATH, then
 * `<KYMA_LOCAL_HOME>/cache/bin/nats-server`. Never downloads (the app must work offline).
 */
export function resolveNatsServer(fromProfile?: string): string {
  const explicit = [
    ['profile natsServer', fromProfile],
    ['KYMA_LOCAL_NATS_SERVER', process.env.KYMA_LOCAL_NATS_SERVER],
  ] as const;
  for (const [source, value] of explicit) {
    if (!value) continue;
    const file = value.includes('/') ? value : (onPath(value) ?? value);
    if (executable(file)) return file;
    throw new Error(`nats-server not found: ${source} points at "${value}", which is not an executable file — fix the path, or ${INSTALL_HINT}`);
  }
  const found = onPath('nats-server') ?? [path.join(kymaLocalHome(), 'cache', 'bin', 'nats-server')].find(executable);
  if (found) return found;
  throw new Error(`nats-server not found on PATH or in ${path.join(kymaLocalHome(), 'cache', 'bin')} — ${INSTALL_HINT}`);
}
