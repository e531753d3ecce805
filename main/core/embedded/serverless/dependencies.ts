import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { Logger } from '../../model/index.js';

export class DependencyError extends Error {}

/** Installs at most once per package.json text at a time, across functions. */
const inflight = new Map<string, Promise<string>>();

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** A package.json without dependencies (Kyma CLI folders always have one) needs no npm run at all. */
export function hasDependencies(packageJson: string): boolean {
  if (packageJson.trim() === '') return false;
  try {
    const deps = (JSON.parse(packageJson) as { dependencies?: unknown }).dependencies;
    return typeof deps === 'object' && deps !== null && Object.keys(deps).length > 0;
  } catch {
    return true; // let npm report what is wrong with it
  }
}

/** The cache folder name of a package.json text: the same text shares one install across functions and revisions. */
export function dependencyCacheKey(packageJson: string): string {
  return createHash('sha256').update(packageJson).digest('hex');
}

export interface InstallOptions {
  /** `<stateDir>/../cache/npm` */
  cacheRoot: string;
  log: Logger;
  /** Extra npm flags, e.g. ['--offline'] (tests, air-gapped machines). */
  npmFlags?: string[];
  onProgress?: (message: string) => void;
}

/**
 * `npm install` of a package.json text into `<cacheRoot>/<sha256 of the text>/`, shared by every function and
 * revision with the same text. npm runs in a temp dir that is renamed into place only on success, so a crash
 * or a failed install never leaves a half-filled folder that later revisions would trust.
 * Returns the folder holding node_modules.
 */
export async function installDependencies(packageJson: string, opts: InstallOptions): Promise<string> {
  const target = path.join(opts.cacheRoot, dependencyCacheKey(packageJson));
  if (await exists(path.join(target, 'node_modules'))) return target;
  let running = inflight.get(target);
  if (!running) {
    running = doInstall(packageJson, target, opts).finally(() => inflight.delete(target));
    inflight.set(target, running);
  }
  return running;
}

async function doInstall(packageJson: string, target: string, opts: InstallOptions): Promise<string> {
  const tmp = `${target}.tmp-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(tmp, { recursive: true });
  await fs.writeFile(path.join(tmp, 'package.json'), packageJson);
  const args = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', '--no-package-lock', '--install-links', ...(opts.npmFlags ?? [])];
  opts.onProgress?.('installing dependencies…');
  opts.log.info('installing function dependencies', { dir: tmp, args: args.join(' ') });
  const started = Date.now();
  const r = await execa('npm', args, { cwd: tmp, reject: false, all: true, env: { npm_config_update_notifier: 'false' } });
  if (r.exitCode !== 0 || r.failed) {
    await fs.rm(tmp, { recursive: true, force: true });
    const why = tail(r.stderr || r.all || r.message || '');
    throw new DependencyError(`npm install failed (exit ${r.exitCode ?? 'none'}): ${why}`);
  }
  // npm creates no node_modules for a package.json without dependencies; the runtime expects the folder.
  await fs.mkdir(path.join(tmp, 'node_modules'), { recursive: true });
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    // Another daemon (or a racing install) won; its result is as good as ours.
    await fs.rm(tmp, { recursive: true, force: true });
    if (!(await exists(path.join(target, 'node_modules')))) throw err;
  }
  opts.log.info('function dependencies installed', { dir: target, ms: Date.now() - started });
  return target;
}
