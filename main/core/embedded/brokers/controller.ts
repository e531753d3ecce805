import { SECRET, SERVICE_BINDING, SERVICE_BROKER, SERVICE_INSTANCE, SERVICES_FINALIZER, type KubeObject, type Logger, type ResourceType } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { BINDING_LABEL, reconcileBinding } from './binding-reconciler.js';
import { reconcileBroker } from './broker-reconciler.js';
import { BrokerRegistry } from './broker-registry.js';
import { reconcileInstance } from './instance-reconciler.js';
import { WorkQueue } from './work-queue.js';

export interface ControllerOptions {
  store: Store;
  log: Logger;
  /** last_operation polling interval (default 1 000 ms). */
  pollIntervalMs?: number;
  /** Backoff after a transient failure: initial and cap (defaults 1 000 and 30 000 ms). */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

/** What each reconciler gets: the store, the brokers, and the queue to ask for another run. */
export interface ReconcileContext {
  store: Store;
  log: Logger;
  brokers: BrokerRegistry;
  pollIntervalMs: number;
  /** Runs `key` again after the backoff for its failures so far (reset by `succeeded`). */
  retry(key: string): number;
  succeeded(key: string): void;
  requeue(key: string, delayMs?: number): void;
  /** Adds or removes the operator's finalizer; returns the stored object (or undefined when it went). */
  setFinalizer(type: ResourceType, obj: KubeObject, present: boolean): Promise<KubeObject | undefined>;
}

const KIND_KEYS: Array<[ResourceType, string]> = [
  [SERVICE_INSTANCE, 'si'],
  [SERVICE_BINDING, 'sb'],
  [SERVICE_BROKER, 'broker'],
];

export function keyOf(type: ResourceType, ns: string | undefined, name: string): string {
  const k = KIND_KEYS.find(([t]) => t === type)![1];
  return `${k}/${ns ?? ''}/${name}`;
}

/**
 * The local counterpart of the SAP BTP service operator: reconciles ServiceInstances, ServiceBindings and
 * ServiceBrokers against OSB brokers over HTTP (the built-in one included), and writes binding Secrets.
 */
export class ServiceCatalogController {
  readonly brokers = new BrokerRegistry();
  private readonly queue: WorkQueue;
  private readonly failures = new Map<string, number>();
  private readonly seen = new Map<string, string>();
  private unwatch: (() => void) | undefined;
  private readonly ctx: ReconcileContext;

  constructor(private readonly opts: ControllerOptions) {
    this.queue = new WorkQueue(
      (key) => this.reconcile(key),
      (key, err) => {
        opts.log.error(`reconcile ${key} failed: ${(err as Error).message}`);
        this.queue.add(key, this.ctx.retry(key));
      },
    );
    const initial = opts.retryInitialMs ?? 1000;
    const max = opts.retryMaxMs ?? 30_000;
    this.ctx = {
      store: opts.store,
      log: opts.log,
      brokers: this.brokers,
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      retry: (key) => {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        const delay = Math.min(initial * 2 ** (n - 1), max);
        this.queue.add(key, delay);
        return delay;
      },
      succeeded: (key) => void this.failures.delete(key),
      requeue: (key, delayMs = 0) => this.queue.add(key, delayMs),
      setFinalizer: (type, obj, present) => this.setFinalizer(type, obj, present),
    };
  }

  start(): void {
    const s = this.opts.store;
    this.unwatch = s.watch(undefined, {}, (ev) => this.route(ev.object, ev.type === 'DELETED'));
    for (const [type] of KIND_KEYS) for (const o of s.list(type).items) this.route(o, false);
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    await this.queue.stop();
  }

  /**
   * Every key whose reconcile an object change may affect. Writes of status (ours, mostly) do not wake the object's
   * own reconcile — polling and backoff run on timers — only creation, spec (generation), deletion and finalizer changes.
   */
  private route(o: KubeObject, deleted: boolean): void {
    const ns = o.metadata.namespace;
    const own = KIND_KEYS.find(([t]) => t.kind === o.kind && o.apiVersion.startsWith(`${t.group}/`));
    if (own) {
      const key = keyOf(own[0], ns, o.metadata.name);
      const sig = deleted ? 'deleted' : `${o.metadata.generation}|${o.metadata.deletionTimestamp ?? ''}|${(o.metadata.finalizers ?? []).join(',')}`;
      const same = this.seen.get(key) === sig;
      if (deleted) this.seen.delete(key);
      else this.seen.set(key, sig);
      if (same) {
        // Still tell the bindings of an instance whose status changed (it may have become Ready).
        if (o.kind === SERVICE_INSTANCE.kind) for (const b of this.bindingsOf(ns, o.metadata.name)) this.queue.add(keyOf(SERVICE_BINDING, ns, b.metadata.name));
        return;
      }
    }
    if (o.kind === SERVICE_BROKER.kind) {
      this.queue.add(keyOf(SERVICE_BROKER, undefined, o.metadata.name));
    } else if (o.kind === SERVICE_INSTANCE.kind) {
      this.queue.add(keyOf(SERVICE_INSTANCE, ns, o.metadata.name));
      for (const b of this.bindingsOf(ns, o.metadata.name)) this.queue.add(keyOf(SERVICE_BINDING, ns, b.metadata.name));
    } else if (o.kind === SERVICE_BINDING.kind) {
      this.queue.add(keyOf(SERVICE_BINDING, ns, o.metadata.name));
      // An instance waiting for its bindings to go looks again.
      if (deleted || o.metadata.deletionTimestamp) this.queue.add(keyOf(SERVICE_INSTANCE, ns, String(o.spec?.serviceInstanceName)));
    } else if (o.kind === SECRET.kind && deleted && o.metadata.labels?.[BINDING_LABEL]) {
      this.queue.add(keyOf(SERVICE_BINDING, ns, o.metadata.labels[BINDING_LABEL]));
    }
  }

  bindingsOf(ns: string | undefined, instance: string): KubeObject[] {
    return this.opts.store.list(SERVICE_BINDING, { ...(ns ? { namespace: ns } : {}) }).items.filter((b) => b.spec?.serviceInstanceName === instance);
  }

  /** Every instance not Ready gets another look (a broker's catalog arrived or changed). */
  recheckInstances(): void {
    for (const o of this.opts.store.list(SERVICE_INSTANCE).items) {
      if (o.status?.ready !== 'True') this.queue.add(keyOf(SERVICE_INSTANCE, o.metadata.namespace, o.metadata.name));
    }
  }

  private async reconcile(key: string): Promise<void> {
    const [kind, ns, ...rest] = key.split('/');
    const name = rest.join('/');
    if (kind === 'broker') {
      if (await reconcileBroker(this.ctx, key, name)) this.recheckInstances();
    } else if (kind === 'si') await reconcileInstance(this.ctx, key, ns!, name, (n, i) => this.bindingsOf(n, i));
    else if (kind === 'sb') await reconcileBinding(this.ctx, key, ns!, name);
  }

  private async setFinalizer(type: ResourceType, obj: KubeObject, present: boolean): Promise<KubeObject | undefined> {
    const list = (obj.metadata.finalizers ?? []).filter((f) => f !== SERVICES_FINALIZER);
    if (present) list.push(SERVICES_FINALIZER);
    const has = (obj.metadata.finalizers ?? []).includes(SERVICES_FINALIZER);
    if (has === present) return obj;
    const { resourceVersion: _rv, ...meta } = obj.metadata;
    await this.opts.store.update({ ...obj, metadata: { ...meta, finalizers: list } });
    return this.opts.store.find(type, obj.metadata.namespace, obj.metadata.name);
  }
}
