// Readers for OTLP scalar encodings (both protobuf-decoded and JSON) and the compact attribute form stores keep.
import type { OtlpAnyValue, OtlpBytes, OtlpKeyValue, OtlpLong } from './otlp-types.js';
import type { Interner } from './intern.js';

import type { AttrValue } from '../api/index.js';
export type { AttrValue };
/** Attributes as a flat [key, value, key, value, …] array: one small array instead of an object per record. */
export type FlatAttrs = AttrValue[];

export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Trace/span ids as lowercase hex; '' when absent. JSON carries them as hex already. */
export function idHex(v: OtlpBytes | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    if (v.length > 0 && !/^[0-9a-fA-F]+$/.test(v)) throw new OtlpDecodeError(`id "${v}" is not hex (OTLP/JSON encodes trace and span ids as hex strings)`);
    return v.toLowerCase();
  }
  if (Buffer.isBuffer(v)) return v.toString('hex');
  let s = '';
  for (let i = 0; i < v.length; i++) s += HEX[v[i]!];
  return s;
}

export function longToNumber(v: OtlpLong | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new OtlpDecodeError(`"${v}" is not an integer`);
    return n;
  }
  return v.toNumber();
}

/**
 * Nanoseconds since the epoch → milliseconds as a double (sub-microsecond precision is kept to ~0.25µs).
 * Long/strings are split so the ms part stays exact.
 */
export function nanosToMs(v: OtlpLong | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v / 1e6;
  // A double holds ns since the epoch to ~256ns, well below what a waterfall shows; Long.toString is slow.
  if (typeof v !== 'string') return v.toNumber() / 1e6;
  const s = v;
  if (!/^\d+$/.test(s)) throw new OtlpDecodeError(`timestamp "${s}" is not an unsigned integer of nanoseconds`);
  if (s.length <= 6) return Number(s) / 1e6;
  return Number(s.slice(0, -6)) + Number(s.slice(-6)) / 1e6;
}

/** Milliseconds (double) → OTLP/JSON nanoseconds string. */
export function msToNanos(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) return String(whole + 1) + '000000';
  return whole === 0 ? String(frac) : String(whole) + String(frac).padStart(6, '0');
}

export function enumNumber(v: number | string | null | undefined, names: readonly string[]): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  const i = names.indexOf(v);
  if (i >= 0) return i;
  const n = Number(v);
  if (Number.isInteger(n)) return n;
  throw new OtlpDecodeError(`unknown enum value "${v}" (expected one of ${names.join(', ')})`);
}

function safeInt(v: OtlpLong): number | string {
  const n = longToNumber(v);
  return Number.isSafeInteger(n) ? n : typeof v === 'object' ? v.toString() : String(v);
}

export function anyValue(v: OtlpAnyValue | null | undefined, intern?: Interner): AttrValue {
  if (v === null || v === undefined) return null;
  if (v.stringValue !== null && v.stringValue !== undefined) return intern ? intern.value(v.stringValue) : v.stringValue;
  if (v.intValue !== null && v.intValue !== undefined) return safeInt(v.intValue);
  if (v.doubleValue !== null && v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.boolValue !== null && v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map((x) => anyValue(x, intern));
  if (v.kvlistValue) {
    const o: { [key: string]: AttrValue } = {};
    for (const kv of v.kvlistValue.values ?? []) o[kv.key] = anyValue(kv.value, intern);
    return o;
  }
  if (v.bytesValue !== null && v.bytesValue !== undefined) {
    return typeof v.bytesValue === 'string' ? v.bytesValue : Buffer.from(v.bytesValue).toString('base64');
  }
  return null;
}

export function flatAttrs(kvs: OtlpKeyValue[] | null | undefined, intern: Interner): FlatAttrs | undefined {
  if (!kvs || kvs.length === 0) return undefined;
  const out: FlatAttrs = new Array<AttrValue>(kvs.length * 2);
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i]!;
    if (typeof kv.key !== 'string') throw new OtlpDecodeError('attribute without a string "key"');
    out[2 * i] = intern.key(kv.key);
    out[2 * i + 1] = anyValue(kv.value, intern);
  }
  return out;
}

export function attrsObject(flat: FlatAttrs | undefined): Record<string, AttrValue> {
  const o: Record<string, AttrValue> = {};
  if (!flat) return o;
  for (let i = 0; i < flat.length; i += 2) o[flat[i] as string] = flat[i + 1]!;
  return o;
}

export function attrGet(flat: FlatAttrs | undefined, key: string): AttrValue | undefined {
  if (!flat) return undefined;
  for (let i = 0; i < flat.length; i += 2) if (flat[i] === key) return flat[i + 1];
  return undefined;
}

/** A value → OTLP/JSON AnyValue (integers become intValue, so 2.0 exports as an int: JSON has no other way). */
export function toAnyValue(v: AttrValue): OtlpAnyValue {
  if (v === null) return {};
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toAnyValue) } };
  return { kvlistValue: { values: Object.entries(v).map(([key, x]) => ({ key, value: toAnyValue(x) })) } };
}

export function toKeyValues(attrs: Record<string, AttrValue> | FlatAttrs | undefined): OtlpKeyValue[] {
  if (!attrs) return [];
  if (Array.isArray(attrs)) {
    const out: OtlpKeyValue[] = [];
    for (let i = 0; i < attrs.length; i += 2) out.push({ key: attrs[i] as string, value: toAnyValue(attrs[i + 1]!) });
    return out;
  }
  return Object.entries(attrs).map(([key, v]) => ({ key, value: toAnyValue(v) }));
}

/** Loose equality for `attr=k=v` queries: the query is text, the attribute may be a number or boolean. */
export function attrMatches(v: AttrValue | undefined, want: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'object') return JSON.stringify(v) === want;
  return String(v) === want;
}
