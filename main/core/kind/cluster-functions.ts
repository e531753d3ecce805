import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, FUNCTION, isRecord, type KubeObject, type Logger } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { FunctionDetails, RevisionError, RevisionRecord } from '../api/index.js';
import type { FunctionsCapability, FunctionUrl } from '../runtime.js';
import type { ClusterProxy } from './cluster-proxy.js';
import type { KubeObjectLike } from './kube-client.js';

/** Revisions kept per function (like the embedded runtime's history). */
const MAX_REVISIONS = 50;

/** What a revision re-deploys on rollback: the inline code it was made from. */
interface RevisionCode {
  source: string;
  dependencies?: string;
}

/** A revision as kept on disk: the wire record plus what the runtime needs to judge and roll back. */
interface StoredRevision extends RevisionRecord {
  /** metadata.generation the cluster gave the applied spec; its status must report this generation (or later). */
  clusterGeneration: number;
  /** When the spec was sent to the cluster (epoch ms): the start of the latency. */
  appliedAt: number;
  code?: RevisionCode;
}

interface History {
  revisions: StoredRevision[];
  /** Set by rollback until the sync applies the spec it wrote: the revision that spec re-deploys. */
  pendingRollback?: number;
  /** The cluster's last status report, for an apply answer that arrives after the status it caused. */
  lastRemote?: KubeObjectLike;
}

type Verdict = { state: 'pending' } | { state: 'ready' } | { state: 'failed'; error: RevisionError };

function condition(status: Record<string, unknown>, type: string): { status?: unknown; reason?: unknown; message?: unknown } | undefined {
  const list = Array.isArray(status.conditions) ? (status.conditions as unknown[]) : [];
  return list.find((c): c is { type: string } => isRecord(c) && c.type === type) as { status?: unknown; reason?: unknown; message?: unknown } | undefined;
}

/**
 * Whether the cluster's Function status shows the given generation running (KYMA-SPEC §1: buildless serverless sets
 * `observedGeneration` and the conditions ConfigurationReady and Running; Running=True with reason DeploymentReady
 * once the Deployment of that spec is available). A spec the controller rejects (ConfigurationReady=False) or a
 * Deployment that failed (Running=False, DeploymentFailed) ends the revision as failed.
 */
export function verdictFor(remote: KubeObjectLike, generation: number): Verdict {
  const status = isRecord(remote.status) ? remote.status : {};
  const observed = typeof status.observedGeneration === 'number' ? status.observedGeneration : -1;
  if (observed < generation) return { state: 'pending' };
  const config = condition(status, 'ConfigurationReady');
  const running = condition(status, 'Running');
  const message = (c: typeof config): string => (typeof c?.message === 'string' && c.message ? c.message : String(c?.reason ?? 'no message'));
  if (config?.status === 'False') return { state: 'failed', error: { message: message(config) } };
  if (running?.status === 'False' && running.reason === 'DeploymentFailed') return { state: 'failed', error: { message: message(running) } };
  if (config?.status === 'True' && running?.status === 'True') return { state: 'ready' };
  return { state: 'pending' };
}

function inlineCode(fn: KubeObject): RevisionCode | undefined {
  const source = isRecord(fn.spec?.source) && isRecord(fn.spec.source.inline) ? fn.spec.source.inline : undefined;
  if (!source || typeof source.source !== 'string') return undefined;
  return { source: source.source, ...(typeof source.dependencies === 'string' && source.dependencies !== '' ? { dependencies: source.dependencies } : {}) };
}

function sameCode(a: RevisionCode, b: RevisionCode): boolean {
  return a.source === b.source && (a.dependencies ?? '') === (b.dependencies ?? '');
}

function specHash(fn: KubeObject): string {
  return createHash('sha256').update(JSON.stringify(fn.spec ?? {})).digest('hex');
}

export interface ClusterFunctionsOptions {
  store: Store;
  /** Where each function's revision history is kept (`<ns>/<name>.json`). */
  dir: string;
  log: Logger;
  /** The running cluster proxy; undefined while the cluster is not up. */
  proxy: () => ClusterProxy | undefined;
  /** How a user reaches a function from a terminal, e.g. `kubectl --context kind-kyma get --raw …`: the prefix before `get --raw`. */
  kubectl: () => string;
  /** The cluster API server URL, for the host URL shown with each function. */
  server: () => string;
}

/**
 * Functions on a kind or attached cluster: details from the daemon's store (into which the cluster's status is
 * copied), a revision per new spec the sync applies, judged by the status the cluster reports for that
 * generation, and rollback by writing an earlier revision's code back to the store (the sync carries it).
 * Pods run inside the cluster: no worker processes are listed.
 */
export class ClusterFunctions implements FunctionsCapability {
  private readonly histories = new Map<string, History>();
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ClusterFunctionsOptions) {}

  /** Reads the histories a previous daemon kept. */
  load(): void {
    mkdirSync(this.opts.dir, { recursive: true });
    for (const ns of readdirSync(this.opts.dir, { withFileTypes: true })) {
      if (!ns.isDirectory()) continue;
      for (const file of readdirSync(join(this.opts.dir, ns.name))) {
        if (!file.endsWith('.json')) continue;
        try {
          const revisions = JSON.parse(readFileSync(join(this.opts.dir, ns.name, file), 'utf8')) as StoredRevision[];
          if (Array.isArray(revisions)) this.histories.set(`${ns.name}/${file.slice(0, -5)}`, { revisions });
        } catch (err) {
          this.opts.log.warn(`Ignoring the unreadable revision history ${join(ns.name, file)}: ${(err as Error).message}`);
        }
      }
    }
  }

  private history(ns: string, name: string): History {
    const key = `${ns}/${name}`;
    let h = this.histories.get(key);
    if (!h) this.histories.set(key, (h = { revisions: [] }));
    return h;
  }

  private fileOf(ns: string, name: string): string {
    return join(this.opts.dir, ns, `${name}.json`);
  }

  private persist(ns: string, name: string): void {
    const revisions = this.histories.get(`${ns}/${name}`)?.revisions;
    const file = this.fileOf(ns, name);
    this.writes = this.writes
      .then(async () => {
        if (!revisions) return rmSync(file, { force: true });
        mkdirSync(join(this.opts.dir, ns), { recursive: true });
        await writeFile(file, JSON.stringify(revisions), { mode: 0o600 });
      })
      .catch((err: Error) => this.opts.log.warn(`Could not save the revision history of ${ns}/${name}: ${err.message}`));
  }

  /** The sync applied (or deleted) a Function on the cluster: a new spec is a new revision. */
  pushed(type: 'APPLIED' | 'DELETED', local: KubeObject, remote: KubeObjectLike | undefined, sentAt: number): void {
    if (local.kind !== FUNCTION.kind) return;
    const ns = local.metadata.namespace ?? 'default';
    const name = local.metadata.name;
    if (type === 'DELETED') {
      this.histories.delete(`${ns}/${name}`);
      this.persist(ns, name);
      return;
    }
    const h = this.history(ns, name);
    const hash = specHash(local);
    const last = h.revisions.at(-1);
    // The same spec again (a resumed sync re-applies everything; a status copy rewrites the object): no new revision.
    if (last?.contentHash === hash) return;
    const code = inlineCode(local);
    // The spec a rollback wrote carries the target's code; an older write still queued in the sync does not.
    const target = h.pendingRollback !== undefined ? h.revisions.find((r) => r.number === h.pendingRollback) : undefined;
    const rollbackOf = target?.code && code && sameCode(target.code, code) ? target.number : undefined;
    if (rollbackOf !== undefined) h.pendingRollback = undefined;
    const rev: StoredRevision = {
      number: (last?.number ?? 0) + 1,
      contentHash: hash,
      generation: local.metadata.generation ?? 0,
      createdAt: new Date(sentAt).toISOString(),
      outcome: 'pending',
      clusterGeneration: remote?.metadata?.generation ?? 0,
      appliedAt: sentAt,
      ...(code ? { code } : {}),
      ...(rollbackOf !== undefined ? { rollbackOf } : {}),
    };
    h.revisions.push(rev);
    if (h.revisions.length > MAX_REVISIONS) h.revisions.splice(0, h.revisions.length - MAX_REVISIONS);
    if (h.lastRemote) this.judge(ns, name, h.lastRemote);
    this.persist(ns, name);
  }

  /** The cluster reported a Function's status. */
  observed(remote: KubeObjectLike): void {
    if (remote.kind !== undefined && remote.kind !== FUNCTION.kind) return;
    const ns = remote.metadata?.namespace ?? 'default';
    const name = remote.metadata?.name;
    if (!name) return;
    const h = this.history(ns, name);
    h.lastRemote = remote;
    if (this.judge(ns, name, remote)) this.persist(ns, name);
  }

  /** Settles pending revisions against a status report; true when a record changed. */
  private judge(ns: string, name: string, remote: KubeObjectLike): boolean {
    const h = this.history(ns, name);
    const now = Date.now();
    let changed = false;
    // The newest revision the status speaks for decides; older pending ones were replaced before they ran.
    for (let i = h.revisions.length - 1; i >= 0; i--) {
      const rev = h.revisions[i]!;
      if (rev.outcome !== 'pending') continue;
      const verdict = verdictFor(remote, rev.clusterGeneration);
      if (verdict.state === 'pending') continue;
      if (verdict.state === 'failed') {
        rev.outcome = 'failed';
        rev.error = verdict.error;
      } else {
        rev.outcome = 'ready';
        rev.readyAt = new Date(now).toISOString();
        rev.latencyMs = now - rev.appliedAt;
      }
      changed = true;
      for (const older of h.revisions.slice(0, i)) {
        if (older.outcome === 'pending') older.outcome = 'superseded';
        else if (older.outcome === 'ready' && verdict.state === 'ready') older.outcome = rev.rollbackOf !== undefined ? 'rolled-back' : 'superseded';
      }
      break;
    }
    return changed;
  }

  private current(ns: string, name: string): StoredRevision | undefined {
    return [...(this.histories.get(`${ns}/${name}`)?.revisions ?? [])].reverse().find((r) => r.outcome === 'ready');
  }

  private functionAt(fn: KubeObject): FunctionDetails {
    const ns = fn.metadata.namespace ?? 'default';
    const name = fn.metadata.name;
    const status = isRecord(fn.status) ? fn.status : {};
    const revisions = this.histories.get(`${ns}/${name}`)?.revisions ?? [];
    const current = this.current(ns, name);
    const newest = revisions.at(-1);
    const host = `${name}.${ns}.svc.cluster.local`;
    const rawPath = `/api/v1/namespaces/${ns}/services/${name}/proxy/`;
    return {
      namespace: ns,
      name,
      ...(current ? { currentRevision: current.number } : {}),
      desiredReplicas: typeof fn.spec?.replicas === 'number' ? fn.spec.replicas : 1,
      readyReplicas: typeof status.replicas === 'number' ? status.replicas : 0,
      // The replicas are pods inside the cluster (`kubectl get pods -l serverless.kyma-project.io/function-name=<name>`).
      workers: [],
      ...(newest?.outcome === 'failed' && newest.error ? { lastError: { ...newest.error, revision: newest.number } } : {}),
      stateDir: join(this.opts.dir, ns),
      access: { inCluster: `http://${host}`, hostUrl: `${this.opts.server()}${rawPath}`, curl: `${this.opts.kubectl()} get --raw ${rawPath}` },
    };
  }

  list(): FunctionDetails[] {
    return this.opts.store.list(FUNCTION).items.map((fn) => this.functionAt(fn));
  }

  details(namespace: string, name: string): FunctionDetails | undefined {
    const fn = this.opts.store.find(FUNCTION, namespace, name);
    return fn ? this.functionAt(fn) : undefined;
  }

  revisions(namespace: string, name: string): RevisionRecord[] {
    return (this.histories.get(`${namespace}/${name}`)?.revisions ?? []).map(({ clusterGeneration: _g, appliedAt: _a, code: _c, ...record }) => record);
  }

  async rollback(namespace: string, name: string, toRevision?: number): Promise<RevisionRecord> {
    const fn = this.opts.store.find(FUNCTION, namespace, name);
    if (!fn) throw new ApiError(404, 'NotFound', `function ${namespace}/${name} is not deployed (create it with kyma-local apply or kyma-local dev)`);
    const h = this.history(namespace, name);
    const good = h.revisions.filter((r) => r.readyAt !== undefined && r.code);
    const current = this.current(namespace, name)?.number;
    const target = toRevision ?? [...good].reverse().find((r) => r.number !== current)?.number;
    if (target === undefined) throw new Error(`Function ${namespace}/${name} has no earlier good revision to roll back to`);
    const rev = good.find((r) => r.number === target);
    if (!rev?.code) throw new Error(`Revision ${target} of ${namespace}/${name} cannot be rolled back to: it is not a revision that became ready with inline code (good ones: ${good.map((r) => r.number).join(', ') || 'none'})`);
    const now = inlineCode(fn);
    if (now && sameCode(now, rev.code)) {
      throw new Error(`Function ${namespace}/${name} already has the code of revision ${target}`);
    }
    const before = h.revisions.at(-1)?.number ?? 0;
    h.pendingRollback = target;
    const inline = isRecord(fn.spec?.source) && isRecord(fn.spec.source.inline) ? fn.spec.source.inline : {};
    await this.opts.store.patch(FUNCTION, namespace, name, { spec: { source: { inline: { ...inline, source: rev.code.source, dependencies: rev.code.dependencies ?? null } } } }, 'merge');
    // The sync applies it to the cluster; the answer is the new revision once the cluster ran it (or gave up on it).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const made = h.revisions.find((r) => r.number > before && r.rollbackOf === target);
      if (made && (made.outcome !== 'pending' || Date.now() > deadline)) return this.revisions(namespace, name).find((r) => r.number === made.number)!;
      if (!made && Date.now() > deadline) {
        h.pendingRollback = undefined;
        throw new ApiError(504, 'ServiceUnavailable', `the rollback of ${namespace}/${name} to revision ${target} did not reach the cluster within 60 s; check \`kyma-local status\``);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private target(namespace: string, name: string): FunctionUrl {
    const proxy = this.opts.proxy();
    if (!proxy) throw new ApiError(503, 'ServiceUnavailable', 'the cluster is not up — run `kyma-local up`');
    return { url: proxy.url, host: `${name}.${namespace}.svc.cluster.local`, trustHeaders: proxy.trustHeaders };
  }

  functionUrl(namespace: string, name: string): FunctionUrl {
    return this.target(namespace, name);
  }

  /** Any Service of the cluster; the cluster answers for one that does not exist. */
  serviceUrl(namespace: string, name: string): FunctionUrl {
    return this.target(namespace, name);
  }
}
