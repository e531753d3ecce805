// Preloaded into function workers that have secretMounts (`node --import <this file>`): on a cluster a Secret
// is mounted at `mountPath`; locally its keys are files in the revision folder, so fs calls with a path under
// a mountPath are redirected there. KYMA_LOCAL_PATH_MAP = JSON { "<mountPath>": "<local folder>" }.
// Imports nothing from main/: it runs inside the worker before the function runtime.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type PathMap = Record<string, string>;

/** Maps `p` to the local folder when it lies under a mountPath; other values are returned unchanged. */
export function remapPath(p: unknown, map: PathMap): unknown {
  let s: string;
  if (typeof p === 'string') s = p;
  else if (p instanceof URL && p.protocol === 'file:') s = fileURLToPath(p);
  else if (Buffer.isBuffer(p)) s = p.toString('utf8');
  else return p;
  if (!path.isAbsolute(s)) return p;
  const norm = path.posix.normalize(s);
  // Longest mountPath first so nested mounts win.
  for (const mount of Object.keys(map).sort((a, b) => b.length - a.length)) {
    if (norm === mount || norm.startsWith(mount === '/' ? '/' : `${mount}/`)) return path.join(map[mount]!, norm.slice(mount.length));
  }
  return p;
}

const PATH_FIRST = [
  'access', 'accessSync', 'createReadStream', 'exists', 'existsSync', 'lstat', 'lstatSync', 'open', 'openSync',
  'opendir', 'opendirSync', 'readdir', 'readdirSync', 'readFile', 'readFileSync', 'realpath', 'realpathSync',
  'stat', 'statSync', 'watch', 'watchFile',
] as const;
const PROMISES_PATH_FIRST = ['access', 'lstat', 'open', 'opendir', 'readdir', 'readFile', 'realpath', 'stat'] as const;

type AnyFn = (...args: unknown[]) => unknown;

function wrapAll(target: Record<string, unknown>, names: readonly string[], map: PathMap): void {
  for (const name of names) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    const wrapped = function (this: unknown, first: unknown, ...rest: unknown[]): unknown {
      return (original as AnyFn).call(this, remapPath(first, map), ...rest);
    };
    // Keep util.promisify.custom and friends (fs.exists, fs.realpath.native) working.
    for (const key of Reflect.ownKeys(original)) {
      if (key !== 'length' && key !== 'name' && key !== 'prototype') {
        Reflect.defineProperty(wrapped, key, Reflect.getOwnPropertyDescriptor(original, key)!);
      }
    }
    target[name] = wrapped;
  }
}

export function installPathMap(map: PathMap): void {
  if (Object.keys(map).length === 0) return;
  wrapAll(fs as unknown as Record<string, unknown>, PATH_FIRST, map);
  wrapAll(fs.promises as unknown as Record<string, unknown>, PROMISES_PATH_FIRST, map);
  // `import { readFileSync } from 'node:fs'` binds the ESM named exports; refresh them from the patched object.
  syncBuiltinESMExports();
}

function fromEnv(): PathMap {
  const raw = process.env.KYMA_LOCAL_PATH_MAP;
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === 'object' && v !== null ? (v as PathMap) : {};
  } catch {
    process.stderr.write(`Ignoring invalid KYMA_LOCAL_PATH_MAP (expected JSON {"/mount/path": "/local/dir"}): ${raw}\n`);
    return {};
  }
}

installPathMap(fromEnv());
