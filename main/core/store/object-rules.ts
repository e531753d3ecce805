import { randomBytes } from 'node:crypto';
import { invalid, isRecord, typeInvalid, validateConfigKey, type FieldError, type KubeObject, type ResourceType } from '../model/index.js';
import { deepEqual } from './patch.js';

/**
 * Secret `stringData` is write-only convenience: merged into `data` as base64 and never stored. It is checked here,
 * before it disappears into `data` (a value that is not a string would otherwise be stored as "[object Object]").
 */
export function mergeStringData(type: ResourceType, obj: KubeObject): KubeObject {
  if (type.group !== '' || type.kind !== 'Secret' || obj.stringData === undefined || obj.stringData === null) return obj;
  const out = { ...obj };
  const sd: unknown = out.stringData;
  delete out.stringData;
  const errs: FieldError[] = [];
  if (!isRecord(sd)) errs.push(typeInvalid('stringData', sd, 'an object of strings'));
  else {
    for (const [k, v] of Object.entries(sd)) {
      errs.push(...validateConfigKey(`stringData[${k}]`, k));
      if (typeof v !== 'string') errs.push(typeInvalid(`stringData[${k}]`, v, 'a string'));
    }
  }
  if (errs.length > 0 || !isRecord(sd)) throw invalid(type.kind, type.group, isRecord(obj.metadata) ? String(obj.metadata.name ?? '') : '', errs);
  const data: Record<string, string> = isRecord(out.data) ? { ...out.data } : {};
  for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(v as string, 'utf8').toString('base64');
  out.data = data;
  return out;
}

/** Fields that the user owns and that bump generation: spec, or for spec-less kinds the payload. */
function content(obj: KubeObject): unknown {
  if (obj.spec !== undefined) return obj.spec;
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function contentChanged(a: KubeObject, b: KubeObject): boolean {
  return !deepEqual(content(a), content(b));
}

/** Equal apart from the server-managed resourceVersion and generation. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, generation: undefined } });
  return deepEqual(strip(a), strip(b));
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** The suffix Kubernetes appends for `generateName` (5 characters that can't spell words). */
export function randomSuffix(): string {
  const bytes = randomBytes(5);
  return [...bytes].map((b) => NAME_CHARS[b % NAME_CHARS.length]).join('');
}

export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
