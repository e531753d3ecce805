import type { FieldError } from './errors.js';
import type { KubeObject } from './object.js';

/** A printer column for `kubectl get` tables and `kyma-local get -o wide`. */
export interface PrinterColumn {
  name: string;
  /** Dotted path into the object, e.g. `spec.runtime`, or a function for computed values. */
  value: (obj: KubeObject) => string | number | undefined;
  type: 'string' | 'integer' | 'date' | 'boolean';
  /** Shown only with `-o wide` (priority 1 in Kubernetes terms). */
  wide?: boolean;
}

/** Everything the store and the API need to know about one kind. */
export interface ResourceType {
  group: string; // '' for the core group
  /** Served versions; the first is the preferred (storage) version. */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** Whether `/status` is a subresource (spec changes bump generation; status changes don't). */
  hasStatus: boolean;
  categories: string[];
  printerColumns: PrinterColumn[];
  /** Validates a whole object (already defaulted) submitted in `version`; returns every problem found. */
  validate(obj: KubeObject, version: string): FieldError[];
  /** Fills defaults the way the real API server does (e.g. Function replicas 1). Returns a new object. */
  applyDefaults(obj: KubeObject, version: string): KubeObject;
}

export function apiVersionOf(type: ResourceType, version: string): string {
  return type.group ? `${type.group}/${version}` : version;
}
