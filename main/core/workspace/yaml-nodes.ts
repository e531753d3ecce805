import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { WorkspaceError } from './types.js';

export function childField(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

interface Located {
  range?: [number, number, number] | null;
}

/**
 * Walks a parsed YAML document node by node and records problems with their line/column, so every error
 * the user sees points at the exact spot in config.yaml.
 */
export class NodeChecker {
  readonly errors: WorkspaceError[] = [];

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  fail(node: unknown, field: string | undefined, message: string): void {
    const pos = this.position(node);
    this.errors.push({ file: this.file, ...pos, ...(field ? { field } : {}), message });
  }

  position(node: unknown): { line?: number; column?: number } {
    const range = (node as Located | null | undefined)?.range;
    if (!range) return {};
    const p = this.lineCounter.linePos(range[0]);
    return { line: p.line, column: p.col };
  }

  map(node: unknown, field: string, what = 'a mapping'): YAMLMap | undefined {
    if (isMap(node)) return node;
    this.fail(node, field, `${field} must be ${what} (key: value lines), found ${describe(node)}`);
    return undefined;
  }

  seq(node: unknown, field: string): YAMLSeq | undefined {
    if (isSeq(node)) return node;
    this.fail(node, field, `${field} must be a list (lines starting with "- "), found ${describe(node)}`);
    return undefined;
  }

  /** Reports keys that are not in `allowed`, with a hint when only the letter case differs. */
  checkKeys(map: YAMLMap, parent: string, allowed: readonly string[]): void {
    for (const pair of map.items) {
      const key = keyOf(pair);
      if (key === undefined) {
        this.fail(pair.key, parent || undefined, `${parent || 'config.yaml'} has a non-string key; use plain names like \`name:\``);
        continue;
      }
      if (allowed.includes(key)) continue;
      const sameCase = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
      const hint = sameCase ? `did you mean \`${sameCase}\`? (keys are case-sensitive)` : `allowed here: ${allowed.join(', ')}`;
      this.fail(pair.key, childField(parent, key), `unknown field \`${key}\` in ${parent || 'config.yaml'}: ${hint}`);
    }
  }

  /** The value node for `key`, or undefined when the key is absent. An explicit `key:` with no value gives null. */
  get(map: YAMLMap, key: string): unknown {
    const pair = map.items.find((p) => keyOf(p) === key);
    if (!pair) return undefined;
    return pair.value ?? null;
  }

  has(map: YAMLMap, key: string): boolean {
    return map.items.some((p) => keyOf(p) === key);
  }

  string(map: YAMLMap, key: string, parent: string, opts: { required?: string } = {}): string | undefined {
    const field = childField(parent, key);
    const node = this.get(map, key);
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
      if (opts.required) this.fail(node ?? map, field, `${field} is required: ${opts.required}`);
      return undefined;
    }
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      this.fail(node, field, `${field} must be a string, found ${typeof node.value} ${String(node.value)}: quote it ("${String(node.value)}")`);
      return undefined;
    }
    this.fail(node, field, `${field} must be a string, found ${describe(node)}`);
    return undefined;
  }

  integer(map: YAMLMap, key: string, parent: string): number | undefined {
    const field = childField(parent, key);
    const node = this.get(map, key);
    if (node === undefined || node === null) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
    if (isScalar(node) && typeof node.value === 'string' && /^\d+$/.test(node.value)) return Number(node.value);
    this.fail(node, field, `${field} must be a whole number, found ${describe(node)}`);
    return undefined;
  }

  stringList(map: YAMLMap, key: string, parent: string): string[] | undefined {
    const field = childField(parent, key);
    const node = this.get(map, key);
    if (node === undefined || node === null) return undefined;
    const seq = this.seq(node, field);
    if (!seq) return undefined;
    const out: string[] = [];
    seq.items.forEach((item, i) => {
      if (isScalar(item) && typeof item.value === 'string') out.push(item.value);
      else this.fail(item, childField(field, i), `${childField(field, i)} must be a string, found ${describe(item)}`);
    });
    return out;
  }

  /**
   * The mappings of the list under `key`, each with its field path (`parent.key[i]`); undefined when the key is
   * absent or its value is not a list. Non-list values and items that are not mappings are reported.
   */
  mapList(map: YAMLMap, key: string, parent: string): Array<{ m: YAMLMap; field: string }> | undefined {
    const field = childField(parent, key);
    const node = this.get(map, key);
    if (node === undefined || node === null) return undefined;
    const seq = this.seq(node, field);
    if (!seq) return undefined;
    const out: Array<{ m: YAMLMap; field: string }> = [];
    seq.items.forEach((item, i) => {
      const f = childField(field, i);
      const m = this.map(item, f);
      if (m) out.push({ m, field: f });
    });
    return out;
  }

  stringMap(map: YAMLMap, key: string, parent: string): Record<string, string> | undefined {
    const field = childField(parent, key);
    const node = this.get(map, key);
    if (node === undefined || node === null) return undefined;
    const m = this.map(node, field);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const pair of m.items) {
      const k = keyOf(pair);
      if (k === undefined) {
        this.fail(pair.key, field, `${field} keys must be strings`);
        continue;
      }
      const v = pair.value;
      if (isScalar(v) && typeof v.value === 'string') out[k] = v.value;
      else if (isScalar(v) && (typeof v.value === 'number' || typeof v.value === 'boolean')) out[k] = String(v.value);
      else this.fail(v ?? pair.key, childField(field, k), `${childField(field, k)} must be a string, found ${describe(v)}`);
    }
    return out;
  }
}

export function keyOf(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
  return undefined;
}

export function describe(node: unknown): string {
  if (node === undefined || node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) {
    if (node.value === null) return 'nothing';
    return `${typeof node.value} ${JSON.stringify(node.value)}`;
  }
  return 'an unexpected value';
}
