import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EffectiveConfig } from './effective-config.js';

/** `mountPath` → local folder holding the Secret's files; handed to the worker preload as KYMA_LOCAL_PATH_MAP. */
export type PathMap = Record<string, string>;

const DEFAULT_PACKAGE_JSON = '{\n  "name": "function",\n  "version": "1.0.0"\n}\n';

/**
 * Writes a revision folder: handler.js, package.json, node_modules (a symlink into the shared dependency cache,
 * or an empty folder) and `secrets/<i>/<key>` files (0600) for each secretMount.
 */
export async function materializeRevision(dir: string, cfg: EffectiveConfig, depsDir: string | undefined): Promise<PathMap> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'handler.js'), cfg.source);
  await fs.writeFile(path.join(dir, 'package.json'), cfg.dependencies || DEFAULT_PACKAGE_JSON);
  if (depsDir) await fs.symlink(path.join(depsDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  else await fs.mkdir(path.join(dir, 'node_modules'));
  const map: PathMap = {};
  for (const [i, m] of cfg.mounts.entries()) {
    const local = path.join(dir, 'secrets', String(i));
    await fs.mkdir(local, { recursive: true, mode: 0o700 });
    for (const [key, value] of Object.entries(m.files)) {
      await fs.writeFile(path.join(local, key), value, { mode: 0o600 });
    }
    map[path.posix.normalize(m.mountPath).replace(/\/$/, '') || '/'] = local;
  }
  return map;
}

/** Reads back the code of a revision (for rollback). */
export async function readRevisionCode(dir: string): Promise<{ source: string; dependencies: string }> {
  const source = await fs.readFile(path.join(dir, 'handler.js'), 'utf8');
  const pkg = await fs.readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '');
  return { source, dependencies: pkg === DEFAULT_PACKAGE_JSON ? '' : pkg };
}
