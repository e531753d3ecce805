import type { ProfileSummary } from '../api/index.js';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProfileError } from './profile-error.js';
import type { Profile } from './profile.js';
import { parseProfile } from './validate.js';

/**
 * The profiles shipped with the package. Compiled code lives in dist/main/core/profiles, sources (tests)
 * in main/core/profiles; both resolve to the package's top-level cluster-profiles/.
 */
export const BUILTIN_PROFILES_DIR: string = findBuiltinDir();

function findBuiltinDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../../../cluster-profiles'), path.resolve(here, '../../../cluster-profiles')];
  return candidates.find((d) => existsSync(path.join(d, 'default.yaml'))) ?? candidates[0]!;
}

export interface LoadProfileOptions {
  /** Directories searched for `<name>.yaml` (then `.yml`), first match wins. Default: [BUILTIN_PROFILES_DIR]. */
  searchDirs?: string[];
}

export type { ProfileSummary };

function isPath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes(path.sep) || /\.ya?ml$/.test(nameOrPath);
}

/** A path as users typed it when it is under the current directory, else absolute. */
function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/** Loads a profile by name (`default`) or by file path (`./my.yaml`); throws ProfileError with file:line:column. */
export async function loadProfile(nameOrPath: string, opts: LoadProfileOptions = {}): Promise<Profile> {
  const file = isPath(nameOrPath) ? path.resolve(nameOrPath) : await findByName(nameOrPath, opts.searchDirs ?? [BUILTIN_PROFILES_DIR]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ProfileError(displayPath(file), 1, 1, '', `cannot read profile: ${reason}`);
  }
  const profile = parseProfile(text, displayPath(file));
  profile.source = file;
  return profile;
}

async function findByName(name: string, dirs: string[]): Promise<string> {
  for (const dir of dirs) {
    for (const ext of ['.yaml', '.yml']) {
      const file = path.resolve(dir, `${name}${ext}`);
      if (existsSync(file)) return file;
    }
  }
  const available = (await listProfiles(dirs).catch(() => [])).map((p) => p.name);
  const list = available.length ? `available: ${[...new Set(available)].join(', ')}` : 'no profiles found';
  throw new Error(`Profile "${name}" not found in ${dirs.join(', ')} (${list}) — pass a name from that list or a path to a .yaml file`);
}

/**
 * Every valid profile in `dirs` (default: the shipped ones); invalid files are skipped, not fatal. A name
 * found in several dirs is listed once, from the first dir, as loadProfile would pick it.
 */
export async function listProfiles(dirs: string[] = [BUILTIN_PROFILES_DIR]): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch {
      continue;
    }
    for (const f of entries) {
      try {
        const p = await loadProfile(path.join(dir, f));
        if (out.some((o) => o.name === p.name)) continue;
        out.push({ name: p.name, description: p.description, runtime: p.runtime, source: p.source });
      } catch {
        // A broken file in a user's profile dir must not hide the others; loadProfile on it reports why.
      }
    }
  }
  return out;
}
