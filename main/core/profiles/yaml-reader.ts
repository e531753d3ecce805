import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { didYouMean, ProfileError } from './profile-error.js';

/**
 * Reads typed values out of a parsed YAML document while remembering where each came from, so every
 * error points at the offending line and column.
 */
export class YamlReader {
  private readonly lines = new LineCounter();
  readonly root: Node | null;

  constructor(
    readonly file: string,
    text: string,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0] ?? this.lines.linePos(first.pos[0]);
      const reason = first.message.split('\n')[0] ?? first.message;
      throw new ProfileError(file, pos.line, pos.col, '', `invalid YAML: ${reason}`);
    }
    this.root = (doc.contents as Node | null) ?? null;
  }

  fail(node: Node | null | undefined, field: string, reason: string): never {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    throw new ProfileError(this.file, pos.line, pos.col, field, reason);
  }

  map(node: Node | null | undefined, field: string): YAMLMap<unknown, unknown> {
    if (!isMap(node)) this.fail(node, field, `expected a mapping (key: value), got ${describe(node)}`);
    return node;
  }

  seq(node: Node | null | undefined, field: string): YAMLSeq<unknown> {
    if (!isSeq(node)) this.fail(node, field, `expected a list, got ${describe(node)}`);
    return node;
  }

  /** Rejects keys not in `allowed`, suggesting the closest allowed one. */
  checkKeys(map: YAMLMap<unknown, unknown>, field: string, allowed: readonly string[]): void {
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      if (allowed.includes(key)) continue;
      const guess = didYouMean(key, allowed);
      const hint = guess ? ` — did you mean "${guess}"?` : ` — valid keys: ${allowed.join(', ')}`;
      this.fail(keyNode, join(field, key), `unknown field "${key}"${hint}`);
    }
  }

  child(map: YAMLMap<unknown, unknown>, key: string): Node | undefined {
    const v = map.get(key, true) as Node | null | undefined;
    return v ?? undefined;
  }

  /** A value node that is not present or explicitly null counts as absent. */
  present(node: Node | undefined): node is Node {
    return node !== undefined && !(isScalar(node) && node.value === null);
  }

  string(node: Node, field: string): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      this.fail(node, field, `expected a non-empty string, got ${describe(node)}`);
    }
    return node.value;
  }

  bool(node: Node, field: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, field, `expected true or false, got ${describe(node)}`);
    return node.value;
  }

  int(node: Node, field: string, min: number, max: number, hint = ''): number {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(node, field, `expected an integer from ${min} to ${max}, got ${describe(node)}${hint}`);
    }
    return v;
  }
}

export function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'null';
    return typeof node.value === 'string' ? `"${node.value}"` : String(node.value);
  }
  return 'an unsupported value';
}
