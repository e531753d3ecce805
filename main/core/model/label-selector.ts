import { badRequest } from './errors.js';
import { validateLabelValue, validateQualifiedName } from './formats.js';

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;
type Requirement = (labels: Record<string, string>) => boolean;

const HELP = 'use key=value, key==value, key!=value, key in (a,b), key notin (a,b), key or !key, separated by commas';

/** Parses a Kubernetes label selector (`a=b,c!=d,e in (f,g),!h,i`); throws ApiError 400 on bad syntax. */
export function parseLabelSelector(sel: string): LabelMatcher {
  const reqs = splitTopLevel(sel).map((part) => parseRequirement(part.trim(), sel));
  return (labels) => reqs.every((r) => r(labels ?? {}));
}

function fail(sel: string, detail: string): never {
  throw badRequest(`Invalid label selector "${sel}": ${detail}; ${HELP}`);
}

function splitTopLevel(sel: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) fail(sel, "unexpected ')'");
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) fail(sel, "missing ')'");
  parts.push(cur);
  if (parts.length === 1 && parts[0]?.trim() === '') return [];
  return parts;
}

function checkKey(key: string, sel: string): string {
  const errs = validateQualifiedName('key', key);
  if (errs.length > 0) fail(sel, `invalid key "${key}": ${errs[0]?.message ?? ''}`);
  return key;
}

function checkValue(v: string, sel: string): string {
  const errs = validateLabelValue('value', v);
  if (errs.length > 0) fail(sel, `invalid value "${v}": ${errs[0]?.message ?? ''}`);
  return v;
}

function parseRequirement(part: string, sel: string): Requirement {
  if (part === '') fail(sel, 'empty requirement');
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const key = checkKey(set[1] ?? '', sel);
    const values = new Set((set[3] ?? '').split(',').map((v) => checkValue(v.trim(), sel)));
    if (set[2] === 'in') return (l) => key in l && values.has(l[key] ?? '');
    return (l) => !(key in l) || !values.has(l[key] ?? '');
  }
  const eq = /^([^=!\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(part);
  if (eq) {
    const key = checkKey(eq[1] ?? '', sel);
    const value = checkValue(eq[3] ?? '', sel);
    if (eq[2] === '!=') return (l) => l[key] !== value;
    return (l) => l[key] === value;
  }
  const not = /^!\s*(\S+)$/.exec(part);
  if (not) {
    const key = checkKey(not[1] ?? '', sel);
    return (l) => !(key in l);
  }
  if (/^\S+$/.test(part)) {
    const key = checkKey(part, sel);
    return (l) => key in l;
  }
  return fail(sel, `cannot parse requirement "${part}"`);
}

export type FieldMatcher = (obj: { metadata: { name: string; namespace?: string } }) => boolean;

/** Field selectors on `metadata.name` and `metadata.namespace` with `=`, `==`, `!=` (what most CRDs support). */
export function parseFieldSelector(sel: string): FieldMatcher {
  const reqs: Array<FieldMatcher> = [];
  for (const raw of sel.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^([^=!\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(part);
    if (!m) throw badRequest(`Invalid field selector "${sel}": cannot parse "${part}"; use metadata.name=<name> or metadata.namespace=<ns>`);
    const field = m[1] ?? '';
    if (field !== 'metadata.name' && field !== 'metadata.namespace') {
      throw badRequest(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    const key = field === 'metadata.name' ? 'name' : 'namespace';
    const value = m[3] ?? '';
    const neg = m[2] === '!=';
    reqs.push((o) => ((o.metadata[key] ?? '') === value) !== neg);
  }
  return (o) => reqs.every((r) => r(o));
}
