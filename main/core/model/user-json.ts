import { ApiError } from './errors.js';

/**
 * Checks on JSON that came from a user before any code walks or copies it. JSON.parse itself is safe (a
 * `"__proto__"` key becomes an own property), but code that later assigns such a key (`out[k] = v`) changes an
 * object's prototype, and a path through `__proto__` or `constructor/prototype` reaches Object.prototype, which
 * every object of the daemon — and the environment of every worker spawned afterwards — inherits.
 */

/** Path segments that lead from a plain object to a prototype. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** How deep user JSON may nest (Kubernetes objects need about 20; the API server stops at 10,000 but we recurse). */
export const MAX_JSON_DEPTH = 200;

export interface UserJsonProblem {
  /** JSON-pointer-like location, e.g. `/spec/env/0/__proto__`. */
  path: string;
  problem: 'prototype-key' | 'too-deep';
}

/**
 * The first `__proto__` key or the first place nested deeper than MAX_JSON_DEPTH, walking without recursion
 * (so a 100,000-level document cannot overflow the stack here). `keys` picks the keys treated as dangerous.
 */
export function findUserJsonProblem(value: unknown, keys: ReadonlySet<string> = PROTO_ONLY, maxDepth = MAX_JSON_DEPTH): UserJsonProblem | undefined {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return { path: path || '/', problem: 'too-deep' };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}/${i}`, depth: depth + 1 });
      continue;
    }
    for (const k of Object.keys(v)) {
      const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (keys.has(k)) return { path: p, problem: 'prototype-key' };
      stack.push({ v: (v as Record<string, unknown>)[k], path: p, depth: depth + 1 });
    }
  }
  return undefined;
}

const PROTO_ONLY: ReadonlySet<string> = new Set(['__proto__']);

/** Throws 400 for a body nested too deeply, 422 for one carrying a `__proto__` key; returns the value otherwise. */
export function checkUserJson<T>(value: T, what = 'the request body'): T {
  const p = findUserJsonProblem(value);
  if (!p) return value;
  if (p.problem === 'too-deep') {
    throw new ApiError(400, 'BadRequest', `${what} is nested more than ${MAX_JSON_DEPTH} levels deep (at ${p.path}); flatten it`);
  }
  throw new ApiError(422, 'Invalid', `${what} has the key "__proto__" at ${p.path}, which is not allowed (it would change an object's prototype); rename the key`);
}

/** Throws 422 when a patch would touch a prototype: a path segment or a merge key `__proto__`, `constructor`, `prototype`. */
export function refusePrototypeSegment(segment: string, where: string): void {
  if (PROTOTYPE_KEYS.has(segment)) {
    throw new ApiError(422, 'Invalid', `${where}: the segment "${segment}" is not allowed in a patch (it would reach an object's prototype)`);
  }
}
