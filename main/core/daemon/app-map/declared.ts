// Nodes and edges from the resources in the store: what the user declared.
import { getPath, isRecord, type KubeObject } from '../../model/index.js';
import type { FunctionDetails } from '../../api/index.js';
import type { AppMapHealth } from '../../api/index.js';
import type { GraphBuilder } from './graph.js';

export interface DeclaredResources {
  functions: KubeObject[];
  subscriptions: KubeObject[];
  apiRules: KubeObject[];
  applications: KubeObject[];
  /** ServiceBindings, when the service catalog kinds are served. */
  bindings: KubeObject[];
  /** What serverless runs, for revisions and crash loops; empty while it is not running. */
  running: FunctionDetails[];
}

export const fnId = (ns: string, name: string): string => `fn:${ns}/${name}`;
export const eventId = (source: string, type: string): string => `event:${source || '*'}/${type}`;

const CLUSTER_HOST = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/;

/** `http://payments.default.svc.cluster.local/x` → {name: payments, namespace: default}. */
export function serviceOfUrl(url: unknown): { name: string; namespace: string } | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const m = CLUSTER_HOST.exec(new URL(url).hostname);
    return m ? { name: m[1]!, namespace: m[2]! } : undefined;
  } catch {
    return undefined;
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A condition that is False, as health and message. */
function failedCondition(obj: KubeObject): string | undefined {
  const conds = getPath(obj, 'status.conditions');
  if (!Array.isArray(conds)) return undefined;
  const bad = conds.find((c: unknown) => isRecord(c) && c.status === 'False') as { type?: string; message?: string } | undefined;
  return bad ? `${bad.type ?? 'condition'}: ${bad.message ?? 'False'}` : undefined;
}

function functionHealth(fn: KubeObject, run: FunctionDetails | undefined): { health: AppMapHealth; message?: string } {
  const crashing = run?.workers.find((w) => w.restarts > 0 && w.state !== 'Ready');
  if (crashing) return { health: 'error', message: `replica ${crashing.replica} is crash-looping (${crashing.restarts} restarts)` };
  if (run?.lastError) return { health: 'error', message: `revision ${run.lastError.revision ?? '?'} failed: ${run.lastError.message.split('\n')[0]}` };
  const cond = failedCondition(fn);
  return cond ? { health: 'error', message: cond } : { health: 'idle' };
}

export function addDeclared(g: GraphBuilder, r: DeclaredResources): void {
  for (const fn of r.functions) {
    const ns = fn.metadata.namespace ?? 'default';
    const name = fn.metadata.name;
    const run = r.running.find((d) => d.namespace === ns && d.name === name);
    g.node({
      id: fnId(ns, name),
      kind: 'function',
      label: name,
      namespace: ns,
      ...(run?.currentRevision !== undefined ? { detail: `revision ${run.currentRevision} · ${run.readyReplicas}/${run.desiredReplicas} ready` } : {}),
      ...functionHealth(fn, run),
      declared: true,
      links: { traces: { service: name }, logs: { function: name, namespace: ns } },
    });
  }

  for (const rule of r.apiRules) {
    const ns = rule.metadata.namespace ?? 'default';
    const id = `apirule:${ns}/${rule.metadata.name}`;
    const hosts = [...strings(getPath(rule, 'spec.hosts')), ...strings([getPath(rule, 'spec.host')])];
    const state = getPath(rule, 'status.state');
    const description = getPath(rule, 'status.description');
    const health: AppMapHealth = state === 'Error' ? 'error' : state === 'Warning' ? 'warning' : 'idle';
    g.node({ id, kind: 'apirule', label: rule.metadata.name, namespace: ns, ...(hosts.length ? { detail: hosts.join(', ') } : {}), health, ...(typeof description === 'string' ? { message: description } : {}), declared: true, links: {} });
    const services = new Set<string>();
    const main = getPath(rule, 'spec.service.name');
    if (typeof main === 'string') services.add(main);
    const rules = getPath(rule, 'spec.rules');
    if (Array.isArray(rules)) for (const x of rules) if (typeof getPath(x, 'service.name') === 'string') services.add(getPath(x, 'service.name') as string);
    for (const svc of services) g.edge({ kind: 'expose', from: id, to: fnId(ns, svc), declared: true, links: { traces: { service: svc } } });
  }

  const apps = new Set(r.applications.map((a) => a.metadata.name));
  for (const app of r.applications) g.node({ id: `app:${app.metadata.name}`, kind: 'application', label: app.metadata.name, detail: 'Application', declared: true, ...(failedCondition(app) ? { health: 'warning' as const, message: failedCondition(app)! } : {}), links: { events: { source: app.metadata.name } } });

  for (const sub of r.subscriptions) {
    const ns = sub.metadata.namespace ?? 'default';
    const ref = `${ns}/${sub.metadata.name}`;
    const source = typeof getPath(sub, 'spec.source') === 'string' ? (getPath(sub, 'spec.source') as string) : '';
    const sink = serviceOfUrl(getPath(sub, 'spec.sink'));
    const notReady = getPath(sub, 'status.ready') === false ? (failedCondition(sub) ?? 'the Subscription is not ready') : undefined;
    for (const type of strings(getPath(sub, 'spec.types'))) {
      const ev = eventId(source, type);
      g.node({ id: ev, kind: 'event', label: type, ...(source ? { detail: `source ${source}` } : {}), declared: true, links: { events: { type, ...(source ? { source } : {}) }, traces: { attr: { 'cloudevents.event_type': type } } } });
      if (sink) {
        if (!g.has(fnId(sink.namespace, sink.name))) g.node({ id: fnId(sink.namespace, sink.name), kind: 'service', label: sink.name, namespace: sink.namespace, detail: 'not a function', links: {} });
        g.edge({ kind: 'deliver', from: ev, to: fnId(sink.namespace, sink.name), declared: true, ...(notReady ? { health: 'error' as const, message: notReady } : {}), links: { traces: { attr: { subscription: ref } }, events: { subscription: ref } } });
      }
      if (apps.has(source)) g.edge({ kind: 'inbound', from: `app:${source}`, to: ev, declared: true, links: { events: { source, type } } });
    }
  }

  for (const b of r.bindings) {
    const ns = b.metadata.namespace ?? 'default';
    const id = `binding:${ns}/${b.metadata.name}`;
    const instance = getPath(b, 'spec.serviceInstanceName');
    g.node({ id, kind: 'binding', label: b.metadata.name, namespace: ns, ...(typeof instance === 'string' ? { detail: `instance ${instance}` } : {}), declared: true, links: {} });
    const secret = (getPath(b, 'spec.secretName') as string | undefined) ?? b.metadata.name;
    for (const fn of r.functions.filter((f) => (f.metadata.namespace ?? 'default') === ns && JSON.stringify(f.spec ?? {}).includes(`"${secret}"`))) {
      g.edge({ kind: 'binding', from: fnId(ns, fn.metadata.name), to: id, declared: true, links: {} });
    }
  }
}
