import { randomBytes } from 'node:crypto';
import { isRecord, type KubeObject, type ResourceType } from '../model/index.js';
import { deepEqual } from './patch.js';

/** Secret `stringData` is write-only convenience: merged into `data` as base64 and never stored. */
export function mergeStringData(type: ResourceType, obj: KubeObject): KubeObject {
  if (type.group !== '' || type.kind !== 'Secret' || obj.stringData === undefined) return obj;
  const out = { ...obj };
  const sd: unknown = out.stringData;
  delete out.stringData;
  if (!isRecord(sd)) return out;
  const data: Record<string, string> = isRecord(out.data) ? { ...out.data } : {};
  for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
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
