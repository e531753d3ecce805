import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseAllDocuments, isNode, type Document } from 'yaml';
import { isRecord, type KubeObject } from '../core/model/index.js';
import { CliError } from './cli-error.js';

/** One object read from a manifest, with where it came from so errors can point at file:line:column. */
export interface Manifest {
  object: KubeObject;
  file: string;
  doc: Document;
  lines: LineCounter;
}

function displayName(file: string): string {
  if (file === '-') return '<stdin>';
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function listFiles(path: string): string[] {
  if (path === '-') return ['-'];
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new CliError(`${path}: no such file or directory`);
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

/** Reads every YAML/JSON document (multi-document files, directories, or stdin). */
export function readManifests(paths: string[]): Manifest[] {
  const out: Manifest[] = [];
  for (const p of paths) {
    for (const file of listFiles(p)) {
      const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
      out.push(...parseManifestText(text, file));
    }
  }
  return out;
}

export function parseManifestText(text: string, file: string): Manifest[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) throw new CliError(`${displayName(file)}: not a YAML stream`);
  const out: Manifest[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      throw new CliError(`${displayName(file)}:${pos.line}:${pos.col}: YAML syntax error: ${err.message.split('\n')[0]}`);
    }
    const at = doc.contents && isNode(doc.contents) && doc.contents.range ? lines.linePos(doc.contents.range[0]) : { line: 1, col: 1 };
    const where = `${displayName(file)}:${at.line}:${at.col}`;
    let value: unknown;
    try {
      // The yaml library refuses alias bombs ("billion laughs") by throwing while it expands them.
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      throw new CliError(`${where}: the YAML document cannot be read: ${(err as Error).message} — expand the aliases (*name) or split the document`);
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) throw new CliError(`${where}: a manifest must be a mapping with apiVersion, kind and metadata`);
    if (value.kind === 'List' && Array.isArray(value.items)) throw new CliError(`${where}: kind List is not supported — put each object in its own YAML document (---)`);
    for (const key of ['apiVersion', 'kind'] as const) {
      if (typeof value[key] !== 'string' || value[key] === '') throw new CliError(`${where}: ${key}: Required value — every object needs apiVersion and kind`);
    }
    if (!isRecord(value.metadata) || typeof value.metadata.name !== 'string') throw new CliError(`${where}: metadata.name: Required value`);
    out.push({ object: value as unknown as KubeObject, file, doc, lines });
  }
  return out;
}

/** `spec.env[2].name` → ['spec','env',2,'name']. */
export function fieldPath(field: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const seg of field.split('.')) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(seg))) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  }
  return parts;
}

/** Where a field sits in the manifest; falls back to the nearest existing parent, then the document. */
export function locate(m: Manifest, field: string): string {
  const path = fieldPath(field);
  for (let n = path.length; n >= 0; n--) {
    const node = m.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = m.lines.linePos(node.range[0]);
      return `${displayName(m.file)}:${pos.line}:${pos.col}`;
    }
  }
  return displayName(m.file);
}

export function describeObject(obj: KubeObject): string {
  const ns = obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind.toLowerCase()} ${ns}${obj.metadata.name}`;
}
