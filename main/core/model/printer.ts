import type { PrinterColumn } from './resource-type.js';
import { isRecord, type KubeObject } from './object.js';

/** Reads a dotted path (`status.state`) from an object; undefined when any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function scalar(v: unknown): string | number | undefined {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

export function pathColumn(name: string, path: string, type: PrinterColumn['type'] = 'string', wide = false): PrinterColumn {
  return { name, type, value: (o) => scalar(getPath(o, path)), ...(wide ? { wide } : {}) };
}

/** The status ('True'/'False'/'Unknown') of a condition in status.conditions, as `kubectl get` shows it. */
export function conditionColumn(name: string, conditionType: string): PrinterColumn {
  return {
    name,
    type: 'string',
    value: (o: KubeObject) => {
      const conds = getPath(o, 'status.conditions');
      if (!Array.isArray(conds)) return undefined;
      const c: unknown = conds.find((x: unknown) => isRecord(x) && x.type === conditionType);
      return isRecord(c) ? scalar(c.status) : undefined;
    },
  };
}

export const AGE_COLUMN: PrinterColumn = pathColumn('AGE', 'metadata.creationTimestamp', 'date');

export function countColumn(name: string, ...paths: string[]): PrinterColumn {
  return {
    name,
    type: 'integer',
    value: (o) => paths.reduce((n, p) => {
      const v = getPath(o, p);
      return n + (isRecord(v) ? Object.keys(v).length : 0);
    }, 0),
  };
}
