import type { KubeObject, PrinterColumn, ResourceType } from '../../model/index.js';

/** What a Table row carries as `object` (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  includeObject: IncludeObject;
  /** Leave out columnDefinitions (watch events after the first; `kubectl get -w` prints headers once). */
  noHeaders?: boolean;
}

/** Whether the Accept header asks for a `meta.k8s.io` Table (`kubectl get` does, for server-side printing). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io');
  });
}

export function parseIncludeObject(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

function visibleColumns(type: ResourceType): PrinterColumn[] {
  return type.printerColumns.filter((c) => c.name.toLowerCase() !== 'name');
}

export function toTable(type: ResourceType, objects: KubeObject[], resourceVersion: string, opts: TableOptions, now = new Date()): unknown {
  const columns = visibleColumns(type);
  const columnDefinitions = [
    NAME_COLUMN,
    ...columns.map((c) => ({ name: c.name, type: c.type, format: '', description: c.name, priority: c.wide ? 1 : 0 })),
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    ...(opts.noHeaders ? {} : { columnDefinitions }),
    rows: objects.map((o) => ({
      cells: [o.metadata.name, ...columns.map((c) => cell(c, o, now))],
      ...rowObject(o, opts.includeObject),
    })),
  };
}

function rowObject(o: KubeObject, include: IncludeObject): { object?: unknown } {
  if (include === 'None') return {};
  if (include === 'Object') return { object: o };
  return { object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } };
}

function cell(c: PrinterColumn, o: KubeObject, now: Date): string | number | boolean | null {
  const v = c.value(o);
  if (v === undefined) return null;
  // Like the apiserver's CRD table convertor, date columns are rendered as an age ("5m") on the server.
  if (c.type === 'date') {
    const t = Date.parse(String(v));
    return Number.isNaN(t) ? String(v) : humanDuration(now.getTime() - t);
  }
  if (c.type === 'integer') return typeof v === 'number' ? v : Number.isNaN(Number(v)) ? String(v) : Number(v);
  if (c.type === 'boolean') return String(v) === 'true';
  return v;
}

/** A port of apimachinery's duration.HumanDuration, so ages read exactly as on a real cluster. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
