import { badRequest, findUserJsonProblem, isRecord, MAX_JSON_DEPTH, PROTOTYPE_KEYS, refusePrototypeSegment } from '../model/index.js';

/**
 * RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else (lists too) replaces.
 * A key `__proto__`, `constructor` or `prototype` anywhere in the patch is refused (422) before anything changes.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  const problem = findUserJsonProblem(patch, PROTOTYPE_KEYS);
  if (problem?.problem === 'prototype-key') refusePrototypeSegment(problem.path.split('/').pop()!, `merge patch key ${problem.path}`);
  if (problem?.problem === 'too-deep') throw badRequest(`the merge patch is nested more than ${MAX_JSON_DEPTH} levels deep (at ${problem.path})`);
  return merge(target, patch);
}

function merge(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

interface Op {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). A failing op aborts the whole patch. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('A JSON patch must be a list of operations, e.g. [{"op":"replace","path":"/spec/replicas","value":2}]');
  let cur: unknown = structuredClone(doc);
  ops.forEach((raw: unknown, i) => {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequest(`JSON patch operation ${i} needs string "op" and "path"`);
    }
    const op = raw as unknown as Op;
    if ('value' in op) {
      const problem = findUserJsonProblem(op.value);
      if (problem?.problem === 'prototype-key') refusePrototypeSegment('__proto__', `JSON patch operation ${i} value at ${problem.path}`);
      if (problem?.problem === 'too-deep') throw badRequest(`JSON patch operation ${i}: the value is nested more than ${MAX_JSON_DEPTH} levels deep`);
    }
    cur = applyOp(cur, op, i);
  });
  return cur;
}

function parsePointer(p: string, i: number): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw badRequest(`JSON patch operation ${i}: path "${p}" must start with "/"`);
  const tokens = p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const t of tokens) refusePrototypeSegment(t, `JSON patch operation ${i} (path "${p}")`);
  return tokens;
}

function getAt(doc: unknown, tokens: string[], i: number): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length - 1, i)];
    else if (isRecord(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw badRequest(`JSON patch operation ${i}: path "/${tokens.join('/')}" does not exist`);
  }
  return cur;
}

function arrayIndex(t: string, max: number, i: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) > max) throw badRequest(`JSON patch operation ${i}: invalid array index "${t}"`);
  return Number(t);
}

function parentOf(doc: unknown, tokens: string[], i: number): { parent: unknown; key: string } {
  if (tokens.length === 0) throw badRequest(`JSON patch operation ${i}: the root cannot be the target here`);
  return { parent: getAt(doc, tokens.slice(0, -1), i), key: tokens[tokens.length - 1] ?? '' };
}

function add(doc: unknown, tokens: string[], value: unknown, i: number): unknown {
  if (tokens.length === 0) return structuredClone(value);
  const { parent, key } = parentOf(doc, tokens, i);
  if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : arrayIndex(key, parent.length, i), 0, structuredClone(value));
  else if (isRecord(parent)) parent[key] = structuredClone(value);
  else throw badRequest(`JSON patch operation ${i}: parent of "/${tokens.join('/')}" is not a container`);
  return doc;
}

function remove(doc: unknown, tokens: string[], i: number): unknown {
  const { parent, key } = parentOf(doc, tokens, i);
  getAt(doc, tokens, i);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length - 1, i), 1);
  else if (isRecord(parent)) delete parent[key];
  return doc;
}

function applyOp(doc: unknown, op: Op, i: number): unknown {
  const tokens = parsePointer(op.path, i);
  switch (op.op) {
    case 'add':
      return add(doc, tokens, op.value, i);
    case 'remove':
      return remove(doc, tokens, i);
    case 'replace':
      if (tokens.length === 0) return structuredClone(op.value);
      return add(remove(doc, tokens, i), tokens, op.value, i);
    case 'move': {
      const from = parsePointer(op.from ?? '', i);
      const value = getAt(doc, from, i);
      return add(remove(doc, from, i), tokens, value, i);
    }
    case 'copy':
      return add(doc, tokens, getAt(doc, parsePointer(op.from ?? '', i), i), i);
    case 'test':
      if (!deepEqual(getAt(doc, tokens, i), op.value)) throw badRequest(`JSON patch operation ${i}: test failed at "${op.path}"`);
      return doc;
    default:
      throw badRequest(`JSON patch operation ${i}: unsupported op "${op.op}" (add, remove, replace, move, copy, test)`);
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
