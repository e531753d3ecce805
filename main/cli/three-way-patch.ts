import { isRecord } from '../core/model/index.js';

type Json = Record<string, unknown>;

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Keys the last applied configuration had and the new one dropped: null, to delete them (recursing into maps). */
function deletions(original: Json, modified: Json): Json {
  const out: Json = {};
  for (const [k, o] of Object.entries(original)) {
    if (!(k in modified)) out[k] = null;
    else if (isRecord(o) && isRecord(modified[k])) {
      const d = deletions(o, modified[k]);
      if (Object.keys(d).length > 0) out[k] = d;
    }
  }
  return out;
}

/** What the new configuration sets differently from the live object; keys only the live object has are left. */
function changes(current: Json, modified: Json): Json {
  const out: Json = {};
  for (const [k, m] of Object.entries(modified)) {
    const c = current[k];
    if (isRecord(m) && isRecord(c)) {
      const d = changes(c, m);
      if (Object.keys(d).length > 0) out[k] = d;
    } else if (!equal(c, m)) out[k] = m;
  }
  return out;
}

function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isRecord(v) && isRecord(out[k]) ? merge(out[k], v) : v;
  return out;
}

/**
 * kubectl's client-side apply for custom resources (CreateThreeWayJSONMergePatch): a JSON merge patch that
 * sets what the new configuration changes, deletes what the last applied configuration had and the new one
 * dropped, and leaves fields others set (controllers, `kubectl edit`) alone. Lists are replaced whole.
 * Returns {} when nothing changes.
 */
export function threeWayMergePatch(original: Json | undefined, modified: Json, current: Json): Json {
  return merge(original ? deletions(original, modified) : {}, changes(current, modified));
}
