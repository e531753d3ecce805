import { existsSync, readFileSync } from 'node:fs';
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The examples shipped with Kyma Local (`examples/<name>/` in the package): folder sets ready for `kyma-local dev`. */
export interface ExampleInfo {
  name: string;
  /** The first paragraph of the example's README. */
  description: string;
}

function findExamplesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'examples');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.join(dir, 'examples');
}

export const EXAMPLES_DIR: string = findExamplesDir();

export async function listExamples(root = EXAMPLES_DIR): Promise<ExampleInfo[]> {
  const names = (await readdir(root, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return names.map((name) => {
    let description = '';
    try {
      const readme = readFileSync(path.join(root, name, 'README.md'), 'utf8');
      description = /^# .*?—\s*(.+)$/m.exec(readme)?.[1]?.trim() ?? '';
    } catch {
      // an example without README still lists
    }
    return { name, description };
  });
}

/**
 * Copies example `name` into `dir` (created if needed). Refuses to overwrite any existing file, so a user's
 * edits are never lost; returns the files written, relative to `dir`.
 */
export async function writeExample(name: string, dir: string, root = EXAMPLES_DIR): Promise<string[]> {
  const known = await listExamples(root);
  if (!known.some((e) => e.name === name)) {
    throw new Error(`unknown example "${name}" — choose one of: ${known.map((e) => e.name).join(', ') || '(none shipped)'}`);
  }
  const source = path.join(root, name);
  const files = (await readdir(source, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => path.relative(source, path.join(d.parentPath, d.name))).sort();
  const clashes = files.filter((f) => existsSync(path.join(dir, f)));
  if (clashes.length > 0) throw new Error(`Refusing to overwrite ${clashes.map((f) => path.join(dir, f)).join(', ')}: choose an empty folder with --dir`);
  await cp(source, dir, { recursive: true, errorOnExist: true, force: false });
  return files;
}
