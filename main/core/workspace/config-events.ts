import { isMap, type YAMLMap } from 'yaml';
import { dns1123SubdomainProblem } from './names.js';
import type { SubscriptionConfig } from './types.js';
import { childField, type NodeChecker } from './yaml-nodes.js';

/**
 * `subscriptions[]` in either Kyma CLI shape:
 * - schemaVersion v1 (eventing v1alpha2): `{name, typeMatching, source, types[]}`;
 * - schemaVersion v0 (eventing v1alpha1): `{name, protocol, filter{filters[{eventSource{value}, eventType{value}}]}}`,
 *   converted to v1alpha2 with `typeMatching: exact` because v0 filters matched the type literally
 *   (and their `sap.kyma.custom…` types are rejected in standard mode).
 */
export function parseSubscriptions(c: NodeChecker, root: YAMLMap): SubscriptionConfig[] {
  const out: SubscriptionConfig[] = [];
  for (const { m, field } of c.mapList(root, 'subscriptions', '') ?? []) {
    const sub = c.has(m, 'filter') || c.has(m, 'protocol') ? parseV0(c, m, field) : parseV1(c, m, field);
    if (sub) out.push(sub);
  }
  return out;
}

function parseName(c: NodeChecker, m: YAMLMap, field: string): string | undefined | false {
  const name = c.string(m, 'name', field);
  if (name === undefined) return c.has(m, 'name') && c.get(m, 'name') !== null ? false : undefined;
  const problem = dns1123SubdomainProblem(name);
  if (problem) {
    c.fail(c.get(m, 'name'), childField(field, 'name'), `invalid subscription name "${name}": ${problem}`);
    return false;
  }
  return name;
}

function parseV1(c: NodeChecker, m: YAMLMap, field: string): SubscriptionConfig | undefined {
  c.checkKeys(m, field, ['name', 'typeMatching', 'source', 'types']);
  const before = c.errors.length;
  const name = parseName(c, m, field);
  const typeMatching = c.string(m, 'typeMatching', field);
  if (typeMatching !== undefined && typeMatching !== 'standard' && typeMatching !== 'exact') {
    c.fail(c.get(m, 'typeMatching'), childField(field, 'typeMatching'), `unsupported typeMatching "${typeMatching}": use standard or exact`);
  }
  const source = c.string(m, 'source', field);
  const types = c.stringList(m, 'types', field);
  if (!types || types.length === 0) {
    const where = c.get(m, 'types') ?? m;
    c.fail(where, childField(field, 'types'), `${field} needs at least one event type, e.g. \`types: [order.created.v1]\``);
  }
  if (typeMatching !== 'exact' && !source && c.errors.length === before) {
    c.fail(c.get(m, 'source') ?? m, childField(field, 'source'), `${field}.source is required unless typeMatching is exact: name the event source, e.g. \`source: myapp\``);
  }
  if (c.errors.length !== before || name === false || !types) return undefined;
  return {
    ...(name ? { name } : {}),
    ...(typeMatching ? { typeMatching: typeMatching as 'standard' | 'exact' } : {}),
    ...(source !== undefined ? { source } : {}),
    types,
  };
}

function parseV0(c: NodeChecker, m: YAMLMap, field: string): SubscriptionConfig | undefined {
  c.checkKeys(m, field, ['name', 'protocol', 'filter']);
  const before = c.errors.length;
  const name = parseName(c, m, field);
  const filterField = childField(field, 'filter');
  const filter = c.map(c.get(m, 'filter') ?? m, filterField);
  const types: string[] = [];
  let source: string | undefined;
  const filtersNode = filter ? c.get(filter, 'filters') : undefined;
  const filters = filtersNode === undefined ? undefined : c.seq(filtersNode, childField(filterField, 'filters'));
  filters?.items.forEach((f, j) => {
    const ff = childField(childField(filterField, 'filters'), j);
    if (!isMap(f)) return c.fail(f, ff, `${ff} must be a mapping with eventSource and eventType`);
    const type = nestedValue(c, f, 'eventType', ff);
    const src = nestedValue(c, f, 'eventSource', ff);
    if (type) types.push(type);
    if (src && !source) source = src;
  });
  if (types.length === 0) c.fail(filter ?? m, filterField, `${filterField} has no eventType.value: add one, or use the v1 shape \`types: [order.created.v1]\``);
  if (c.errors.length !== before || name === false) return undefined;
  return { ...(name ? { name } : {}), typeMatching: 'exact', ...(source ? { source } : {}), types };
}

function nestedValue(c: NodeChecker, m: YAMLMap, key: string, parent: string): string | undefined {
  const inner = c.get(m, key);
  if (!isMap(inner)) return undefined;
  return c.string(inner, 'value', childField(parent, key));
}
