import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from './read-folder.js';

export function isSkippedDir(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

export async function hasConfig(dir: string): Promise<boolean> {
  try {
    await access(path.join(dir, CONFIG_FILE));
    return true;
  } catch {
    return false;
  }
}

/**
 * A root holding config.yaml is itself a function folder; otherwise each direct subfolder holding one is.
 * Returns absolute, sorted, de-duplicated paths. A missing root is an error naming it.
 */
export async function discoverFunctionFolders(roots: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const rootArg of roots) {
    const root = path.resolve(rootArg);
    if (await hasConfig(root)) {
      found.add(root);
      continue;
    }
    let entries;
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch (e) {
      throw new Error(`Cannot read functions folder ${root}: ${(e as Error).message}. Pass an existing folder.`);
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || isSkippedDir(entry.name)) continue;
      const dir = path.join(root, entry.name);
      if (await hasConfig(dir)) found.add(dir);
    }
  }
  return [...found].sort();
}
