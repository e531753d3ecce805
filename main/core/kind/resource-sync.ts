import { isRecord, type KubeObject, type Logger, type ResourceType } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { KubeClient, KubeObjectLike } from './kube-client.js';

/** Kinds whose status the cluster's controllers write and the daemon shows (Secret/ConfigMap have none). */
const STATUS_KINDS = new Set(['Function', 'Subscription', 'APIRule', 'Application']);

export interface SyncOptions {
  store: Store;
  client: KubeClient;
  types: readonly ResourceType[];
  log: Logger;
  /** Namespaces the daemon's resources live in are created on the cluster on first use. */
  onError?: (msg: string) => void;
  /** After each write reached the cluster: the store's object, the cluster's answer (none for a delete) and when it was sent. */
  onPushed?: (type: 'APPLIED' | 'DELETED', local: KubeObject, remote: KubeObjectLike | undefined, sentAt: number) => void;
  /** Every version of a status kind the cluster reports (before it is copied into the store). */
  onStatus?: (type: ResourceType, remote: KubeObjectLike) => void;
}

/** What we send to the cluster: the user's intent only — no server-set metadata, no status. */
export function desiredObject(obj: KubeObject): KubeObjectLike {
  const { uid: _u, resourceVersion: _rv, generation: _g, creationTimestamp: _c, managedFields: _m, deletionTimestamp: _d, ...meta } = obj.metadata;
  const out: Record<string, unknown> = { ...obj, metadata: meta };
  delete out.status;
  return out as KubeObjectLike;
}

/**
 * Keeps the cluster in step with the daemon's store, which stays the one source of truth for the CLI, kubectl
 * and the dashboard: every write to the store is server-side applied to the cluster (field manager
 * kyma-local), every delete deleted, and the cluster's status for the Kyma kinds is written back into the
 * store, so `kyma-local get`, `status` and the dashboard read the same objects on both runtimes.
 */
export class ResourceSync {
  private readonly stops: Array<() => void> = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly namespaces = new Set<string>();
  private stopped = false;

  constructor(private readonly opts: SyncOptions) {}

  async start(): Promise<void> {
    const { store, types } = this.opts;
    for (const type of types) {
      if (type.kind === 'Namespace') continue;
      // Existing objects first (a resumed cluster may have missed writes), then every change.
      for (const obj of store.list(type).items) this.enqueue('ADDED', obj);
      this.stops.push(store.watch(type, { resourceVersion: store.currentResourceVersion() }, (ev) => this.enqueue(ev.type, ev.object)));
      if (STATUS_KINDS.has(type.kind)) await this.watchStatus(type);
    }
    await this.chain;
  }

  /** Resolves once every queued write reached the cluster (or failed and was reported). */
  idle(): Promise<void> {
    return this.chain;
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.stops.splice(0)) s();
  }

  private enqueue(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void {
    this.chain = this.chain.then(() => this.push(type, obj)).catch((err: Error) => {
      const msg = `Could not ${type === 'DELETED' ? 'delete' : 'apply'} ${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name} on the cluster: ${err.message}`;
      this.opts.log.error(msg);
      this.opts.onError?.(msg);
    });
  }

  private async push(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): Promise<void> {
    if (this.stopped) return;
    const { client } = this.opts;
    if (type === 'DELETED') {
      await client.delete({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) } });
      this.opts.onPushed?.('DELETED', obj, undefined, Date.now());
      return;
    }
    const ns = obj.metadata.namespace;
    if (ns && !this.namespaces.has(ns)) {
      await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      this.namespaces.add(ns);
    }
    const sentAt = Date.now();
    const remote = await client.apply(desiredObject(obj));
    this.opts.onPushed?.('APPLIED', obj, remote, sentAt);
  }

  /** Cluster status → store status, through a client-node informer per kind. */
  private async watchStatus(type: ResourceType): Promise<void> {
    const version = type.versions[type.versions.length - 1]!;
    const apiVersion = type.group ? `${type.group}/${version}` : version;
    const informer = this.opts.client.informer<KubeObjectLike>(apiVersion, type.kind, type.plural);
    const copy = (remote: KubeObjectLike): void => {
      const name = remote.metadata?.name;
      if (!name || !isRecord(remote.status) || this.stopped) return;
      this.opts.onStatus?.(type, remote);
      const local = this.opts.store.find(type, remote.metadata?.namespace, name);
      if (!local || JSON.stringify(local.status ?? {}) === JSON.stringify(remote.status)) return;
      this.opts.store.updateStatus({ ...local, status: remote.status }).catch((err: Error) => this.opts.log.warn(`Could not copy the cluster's status of ${type.kind} ${name}: ${err.message}`));
    };
    informer.on('add', copy);
    informer.on('update', copy);
    informer.on('error', (err: unknown) => {
      this.opts.log.warn(`Status watch of ${type.plural} on the cluster failed (${String(err)}); retrying`);
      setTimeout(() => {
        if (!this.stopped) void informer.start().catch(() => undefined);
      }, 2000);
    });
    await informer.start();
    this.stops.push(() => void informer.stop());
  }
}
