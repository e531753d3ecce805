import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedNatsServerPath, manualInstallHint, provisionNatsServer, type ProvisionOptions } from './provision.js';
import { natsServerBinaryName } from './release.js';

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

export function natsCacheDir(): string {
  return path.join(kymaLocalHome(), 'cache');
}

/**
 * The binary shipped with the desktop app (electron-builder's extraResources). The daemon runs as a child of
 * Electron with ELECTRON_RUN_AS_NODE, where `process.resourcesPath` may be missing, so the app also passes
 * the folder in KYMA_LOCAL_RESOURCES_DIR.
 */
function bundledNatsServer(): string | undefined {
  const dir = process.env.KYMA_LOCAL_RESOURCES_DIR || (process as { resourcesPath?: string }).resourcesPath;
  if (!dir) return undefined;
  const file = path.join(dir, 'nats-server', natsServerBinaryName());
  return executable(file) ? file : undefined;
}

export const INSTALL_HINT =
  'install it with `apt-get install nats-server` (Debian/Ubuntu) or `brew install nats-server` (macOS), ' +
  'or set KYMA_LOCAL_NATS_SERVER (or natsServer in the profile) to its path';

export type NatsServerSource = 'profile natsServer' | 'KYMA_LOCAL_NATS_SERVER' | 'PATH' | 'app resources' | 'cache';

export interface FoundNatsServer {
  path: string;
  source: NatsServerSource;
}

/**
 * The nats-server binary without downloading: the profile's `natsServer`, then $KYMA_LOCAL_NATS_SERVER, then PATH,
 * then the desktop app's bundled copy, then `<KYMA_LOCAL_HOME>/cache/bin/nats-server`. An explicit setting that
 * points nowhere is an error (not a fallthrough), so a typo is never silently replaced by another binary.
 */
export function findNatsServer(fromProfile?: string): FoundNatsServer | undefined {
  const explicit = [
    ['profile natsServer', fromProfile],
    ['KYMA_LOCAL_NATS_SERVER', process.env.KYMA_LOCAL_NATS_SERVER],
  ] as const;
  for (const [source, value] of explicit) {
    if (!value) continue;
    const file = value.includes('/') ? value : (onPath(value) ?? value);
    if (executable(file)) return { path: file, source };
    throw new Error(`nats-server not found: ${source} points at "${value}", which is not an executable file — fix the path, or ${INSTALL_HINT}`);
  }
  const fromPath = onPath(natsServerBinaryName());
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const bundled = bundledNatsServer();
  if (bundled) return { path: bundled, source: 'app resources' };
  const cached = cachedNatsServerPath(natsCacheDir());
  if (executable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

/** Like findNatsServer, but a missing binary is an error that says how to get one. */
export function resolveNatsServer(fromProfile?: string): string {
  const found = findNatsServer(fromProfile);
  if (found) return found.path;
  throw new Error(`nats-server not found on PATH or in ${path.join(natsCacheDir(), 'bin')} — ${INSTALL_HINT}, or ${manualInstallHint(natsCacheDir())}`);
}

/** findNatsServer, else download the pinned release into the cache (unless offline). */
export async function ensureNatsServer(fromProfile: string | undefined, opts: Omit<ProvisionOptions, 'cacheDir'> = {}): Promise<string> {
  const found = findNatsServer(fromProfile);
  if (found) return found.path;
  try {
    return (await provisionNatsServer({ ...opts, cacheDir: natsCacheDir() })).path;
  } catch (err) {
    throw new Error(`${(err as Error).message} (or ${INSTALL_HINT})`, { cause: err });
  }
}
