import { AckPolicy, DeliverPolicy, NatsError, ReplayPolicy, nanos, type JetStreamManager } from 'nats';
import type { Condition, KubeObject, Logger, ResourceType } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { ServiceRegistry } from '../module.js';
import type { Backend } from './backend.js';
import { checkSink } from './delivery.js';
import { Dispatcher, type DispatcherDeps, type RetrySettings } from './dispatcher.js';
import type { Inspector } from './inspector.js';
import { STREAM_NAME, cleanType, consumerName, subjectMatches, subscriptionSubject, type TypeMatching } from './naming.js';
import type { SubscriptionRef } from './types.js';

const COND_ACTIVE = 'Subscription active';
const COND_SPEC_VALID = 'Subscription spec valid';
const CONSUMER_NOT_FOUND = 10014;

export interface ControllerDeps {
  store: Store;
  subscriptionType: ResourceType;
  backend: Backend;
  services: ServiceRegistry;
  inspector: Inspector;
  retry: RetrySettings;
  /** AckWait of consumers: how long a delivery may take before JetStream redelivers. */
  ackWaitMs: number;
  log: Logger;
  tracing?: DispatcherDeps['tracing'];
}

interface TypeEntry {
  originalType: string;
  cleanType: string;
  subject: string;
  consumer: string;
}

/** What the controller knows about one Subscription after reconciling it. */
export interface ActiveSubscription {
  ref: SubscriptionRef;
  source: string;
  sink: string;
  maxInFlight: number;
  entries: TypeEntry[];
}

const keyOf = (r: SubscriptionRef): string => `${r.namespace}/${r.name}`;

function desired(obj: KubeObject): ActiveSubscription {
  const spec = obj.spec ?? {};
  const ref = { namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name };
  const matching: TypeMatching = spec['typeMatching'] === 'exact' ? 'exact' : 'standard';
  const source = typeof spec['source'] === 'string' ? spec['source'] : '';
  const types = Array.isArray(spec['types']) ? [...new Set(spec['types'].filter((t): t is string => typeof t === 'string'))] : [];
  const config = (spec['config'] ?? {}) as Record<string, unknown>;
  const maxInFlight = Math.max(1, Number.parseInt(String(config['maxInFlightMessages'] ?? '10'), 10) || 10);
  const entries = types.map((t) => {
    const subject = subscriptionSubject(source, t, matching);
    return { originalType: t, cleanType: matching === 'exact' ? t : cleanType(t), subject, consumer: consumerName(ref.namespace, ref.name, subject) };
  });
  return { ref, source, sink: typeof spec['sink'] === 'string' ? spec['sink'] : '', maxInFlight, entries };
}

function condition(type: string, ok: boolean, reasonOk: string, reasonBad: string, message: string, prev: Condition[]): Condition {
  const status = ok ? 'True' : 'False';
  const reason = ok ? reasonOk : reasonBad;
  const old = prev.find((c) => c.type === type);
  const same = old && old.status === status && old.reason === reason && (old.message ?? '') === message;
  return { type, status, lastTransitionTime: same && old.lastTransitionTime ? old.lastTransitionTime : new Date().toISOString(), reason, ...(message ? { message } : {}) };
}

/** Watches Subscriptions, keeps one durable JetStream consumer per (subscription, type) and a dispatcher per consumer. */
export class SubscriptionController {
  private readonly subs = new Map<string, ActiveSubscription>();
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly chains = new Map<string, Promise<void>>();
  private unwatch: (() => void) | undefined;
  private unservices: (() => void) | undefined;
  private unreconnect: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly d: ControllerDeps) {}

  private get jsm(): JetStreamManager {
    return this.d.backend.jsm;
  }

  async start(): Promise<void> {
    const list = this.d.store.list(this.d.subscriptionType);
    await Promise.all(list.items.map((o) => this.enqueue(o, false)));
    await this.collectGarbage();
    this.unwatch = this.d.store.watch(this.d.subscriptionType, { resourceVersion: list.resourceVersion }, (ev) => {
      void this.enqueue(ev.object, ev.type === 'DELETED');
    });
    // A Function appearing (or vanishing) changes whether sinks resolve.
    this.unservices = this.d.services.onChange(() => this.resyncAll());
    this.unreconnect = this.d.backend.onReconnect(() => {
      for (const disp of this.dispatchers.values()) disp.kick();
      this.resyncAll();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    this.unservices?.();
    this.unreconnect?.();
    await Promise.allSettled([...this.chains.values()]);
    await Promise.allSettled([...this.dispatchers.values()].map((d) => d.stop()));
    this.dispatchers.clear();
  }

  /** Subscriptions whose filter matches a published subject. */
  matching(subject: string): SubscriptionRef[] {
    return [...this.subs.values()].filter((s) => s.entries.some((e) => subjectMatches(e.subject, subject))).map((s) => s.ref);
  }

  get(ref: SubscriptionRef): ActiveSubscription | undefined {
    return this.subs.get(keyOf(ref));
  }

  all(): ActiveSubscription[] {
    return [...this.subs.values()];
  }

  private resyncAll(): void {
    if (this.stopped) return;
    for (const o of this.d.store.list(this.d.subscriptionType).items) void this.enqueue(o, false);
  }

  /** Serialises reconciles per Subscription so watch events and resyncs never race. */
  private enqueue(obj: KubeObject, deleted: boolean): Promise<void> {
    const key = `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev
      .then(() => (deleted ? this.remove(key) : this.reconcile(key)))
      .catch((err: unknown) => this.d.log.error('Subscription reconcile failed', { subscription: key, error: String(err) }));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async reconcile(key: string): Promise<void> {
    if (this.stopped) return;
    const [ns, name] = key.split('/') as [string, string];
    const obj = this.d.store.find(this.d.subscriptionType, ns, name);
    if (!obj) return this.remove(key);
    const want = desired(obj);
    const before = this.subs.get(key);
    this.subs.set(key, want);
    let activeError = '';
    try {
      for (const e of want.entries) await this.ensureConsumer(want, e);
    } catch (err) {
      activeError = `Failed to create JetStream consumer: ${String(err)}`;
    }
    const keep = new Set(want.entries.map((e) => e.consumer));
    for (const e of before?.entries ?? []) if (!keep.has(e.consumer)) await this.dropConsumer(e.consumer);
    const sink = checkSink(want.sink, this.d.services);
    if (sink.ok && !activeError) {
      for (const e of want.entries) this.runDispatcher(want, e);
    } else {
      // Consumers exist (events are kept) but dispatching waits until the sink resolves.
      for (const e of want.entries) await this.stopDispatcher(e.consumer);
      if (!activeError && !sink.ok) activeError = 'Dispatching paused: the sink does not resolve';
    }
    await this.writeStatus(obj, want, sink.ok ? '' : sink.message, activeError);
  }

  private async remove(key: string): Promise<void> {
    const s = this.subs.get(key);
    this.subs.delete(key);
    for (const e of s?.entries ?? []) await this.dropConsumer(e.consumer);
  }

  private async ensureConsumer(s: ActiveSubscription, e: TypeEntry): Promise<void> {
    const tuning = { max_ack_pending: s.maxInFlight, max_deliver: this.d.retry.maxDeliver, ack_wait: nanos(this.d.ackWaitMs) };
    try {
      const info = await this.jsm.consumers.info(STREAM_NAME, e.consumer);
      const c = info.config;
      if (c.max_ack_pending !== tuning.max_ack_pending || c.max_deliver !== tuning.max_deliver || c.ack_wait !== tuning.ack_wait) {
        await this.jsm.consumers.update(STREAM_NAME, e.consumer, tuning);
      }
    } catch (err) {
      if (!(err instanceof NatsError && err.jsError()?.err_code === CONSUMER_NOT_FOUND)) throw err;
      await this.jsm.consumers.add(STREAM_NAME, {
        durable_name: e.consumer,
        description: `${s.ref.namespace}/${s.ref.name}/${e.subject}`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        replay_policy: ReplayPolicy.Instant,
        filter_subject: e.subject,
        ...tuning,
      });
    }
  }

  private runDispatcher(s: ActiveSubscription, e: TypeEntry): void {
    const target = { ref: s.ref, consumer: e.consumer, sink: s.sink, maxInFlight: s.maxInFlight };
    const existing = this.dispatchers.get(e.consumer);
    if (existing) return existing.update(target);
    const disp = new Dispatcher(target, {
      js: this.d.backend.js,
      services: this.d.services,
      inspector: this.d.inspector,
      retry: this.d.retry,
      log: this.d.log,
      ...(this.d.tracing ? { tracing: this.d.tracing } : {}),
    });
    this.dispatchers.set(e.consumer, disp);
    disp.start();
  }

  private async stopDispatcher(consumer: string): Promise<void> {
    const disp = this.dispatchers.get(consumer);
    this.dispatchers.delete(consumer);
    await disp?.stop();
  }

  private async dropConsumer(consumer: string): Promise<void> {
    await this.stopDispatcher(consumer);
    await this.jsm.consumers.delete(STREAM_NAME, consumer).catch((err: unknown) => {
      if (!(err instanceof NatsError && err.jsError()?.err_code === CONSUMER_NOT_FOUND)) {
        this.d.log.warn('Failed to delete JetStream consumer', { consumer, error: String(err) });
      }
    });
  }

  /** Deletes consumers no Subscription wants (left over from a Subscription deleted while the daemon was down). */
  private async collectGarbage(): Promise<void> {
    const wanted = new Set([...this.subs.values()].flatMap((s) => s.entries.map((e) => e.consumer)));
    const infos = await this.jsm.consumers.list(STREAM_NAME).next();
    for (const ci of infos) if (!wanted.has(ci.name)) await this.dropConsumer(ci.name);
  }

  private async writeStatus(obj: KubeObject, s: ActiveSubscription, specError: string, activeError: string): Promise<void> {
    const prev = (Array.isArray(obj.status?.['conditions']) ? obj.status['conditions'] : []) as Condition[];
    const conditions = [
      condition(COND_ACTIVE, !activeError, 'NATS Subscription active', 'NATS Subscription not active', activeError, prev),
      condition(COND_SPEC_VALID, !specError, 'Subscription spec has no validation errors', 'Subscription spec has validation errors', specError, prev),
    ];
    const status = {
      ready: !activeError && !specError,
      types: s.entries.map((e) => ({ originalType: e.originalType, cleanType: e.cleanType })),
      backend: { types: s.entries.map((e) => ({ originalType: e.originalType, consumerName: e.consumer })) },
      conditions,
    };
    const cur = obj.status ?? {};
    const same =
      JSON.stringify({ r: cur['ready'], t: cur['types'], b: cur['backend'], c: cur['conditions'] }) ===
      JSON.stringify({ r: status.ready, t: status.types, b: status.backend, c: status.conditions });
    if (same) return;
    await this.d.store
      .patchStatus(this.d.subscriptionType, s.ref.namespace, s.ref.name, status)
      .catch((err: unknown) => this.d.log.debug('Subscription status not written', { subscription: keyOf(s.ref), error: String(err) }));
  }
}
