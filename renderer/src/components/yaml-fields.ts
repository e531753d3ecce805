import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Document } from 'yaml';

export interface FieldProblem {
  from: number;
  to: number;
  line: number;
  field?: string | undefined;
  message: string;
}

/** "spec.env[0].name" → ["spec", "env", 0, "name"]. */
export function fieldPath(field: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/**
 * The text range of a field: its key and value when it exists, else the key of the deepest ancestor that does
 * (a required field that is missing is reported at its parent).
 */
export function rangeOfField(doc: Document, field: string): [number, number] | undefined {
  let node: unknown = doc.contents;
  let best: [number, number] | undefined;
  for (const seg of fieldPath(field)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      const end = value && isScalar(value) && value.range ? value.range[1] : key.range ? key.range[1] : undefined;
      if (key.range && end !== undefined) best = [key.range[0], end];
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      if (item.range) best = [item.range[0], isScalar(item) ? item.range[1] : item.range[0] + 1];
      node = item;
    } else break;
  }
  return best;
}

export function parseYaml(text: string): { doc: Document; lines: LineCounter; problems: FieldProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems = doc.errors.map((e) => ({ from: e.pos[0], to: Math.max(e.pos[1], e.pos[0] + 1), line: lines.linePos(e.pos[0]).line, message: `YAML syntax: ${e.message.split('\n')[0]}` }));
  return { doc, lines, problems };
}

/** Places the API server's field causes on the text; causes whose field cannot be found go on line 1. */
export function problemsFromCauses(text: string, causes: Array<{ field?: string | undefined; message: string }>): FieldProblem[] {
  const { doc, lines } = parseYaml(text);
  return causes.map((c) => {
    const r = c.field ? rangeOfField(doc, c.field) : undefined;
    const [from, to] = r ?? [0, Math.max(1, text.indexOf('\n'))];
    return { from, to, line: lines.linePos(from).line, field: c.field, message: c.message };
  });
}
