import type { Server } from 'node:http';
import type { TracerProvider } from '@opentelemetry/api';
import type { CloudEvent } from 'cloudevents';
import { APPLICATION, cleanTypeOrName, SUBSCRIPTION, type Logger, type ResourceType } from '../../model/index.js';
import type { ComponentState, ComponentStatus } from '../../runtime.js';
import type { EmbeddedModule, ModuleContext } from '../module.js';
import { connectBackend, ensureStream, type Backend } from './backend.js';
import { deliver, deliverableEvent } from './delivery.js';
import { createInspector, type Inspector } from './inspector.js';
import { legacyToCloudEvent, validateLegacy } from './legacy.js';
import { startProxyServer } from './proxy-server.js';
import { makeEvent, newEventId, storeEvent } from './publisher.js';
import { SubscriptionController } from './subscriptions.js';
import { EventTracing } from './tracing.js';
import { EventingError, type EventingApi, type PublishInput, type ReplayOptions, type ReplayResult } from './types.js';
import type { HeaderBag } from './trace-headers.js';

export interface EventingModuleOptions {
  /** The Subscription resource type; default the model's SUBSCRIPTION. */
  subscriptionType?: ResourceType;
  /** Consumer AckWait. Upstream uses 30 s; a delivery still running then is redelivered. Default 30 000. */
  ackWaitMs?: number;
  /** Timeout of one POST to a sink; kept below AckWait. Default 25 000. */
  deliveryTimeoutMs?: number;
  /**
   * Where the platform's `publish`/`deliver` spans go (the daemon's provider, exporting into its telemetry store).
   * Without it no spans are made; trace headers are still carried from publisher to sink.
   */
  tracerProvider?: TracerProvider;
}

const DEFAULT_EVENT_BYTES = 64 * 1024 * 1024;

export type EventingModule = EmbeddedModule & { readonly api: EventingApi };

/**
 * Keeps the stored form of recent events (for replay), at most as many as the inspector keeps and within its
 * share of `retention.eventBytes` (JetStream's interest stream drops an event once delivered, so it cannot be
 * fetched back from there).
 */
class StoredEvents {
  private readonly m = new Map<string, string>();
  private bytes = 0;
  constructor(
    private readonly max: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}
  set(id: string, json: string): void {
    this.bytes -= this.m.get(id)?.length ?? 0;
    this.m.delete(id);
    this.m.set(id, json);
    this.bytes += json.length;
    while (this.m.size > 1 && (this.m.size > this.max || this.bytes > this.maxBytes)) {
      const oldest = this.m.keys().next().value!;
      this.bytes -= this.m.get(oldest)!.length;
      this.m.delete(oldest);
    }
  }
  get(id: string): string | undefined {
    return this.m.get(id);
  }
}

/** Subscribed-event listing for `/<app>/v1/events/subscribed`: type `order.created.v1` → name `order.created`, version `v1`. */
function eventsInfo(types: string[]): Array<{ name: string; version: string }> {
  const seen = new Map<string, { name: string; version: string }>();
  for (const t of types) {
    const i = t.lastIndexOf('.');
    const e = i > 0 ? { name: t.slice(0, i), version: t.slice(i + 1) } : { name: t, version: '' };
    seen.set(`${e.name}@${e.version}`, e);
  }
  return [...seen.values()];
}

export function createEventingModule(opts: EventingModuleOptions = {}): EventingModule {
  let state: ComponentState = 'Stopped';
  let message: string | undefined;
  let ctx: ModuleContext | undefined;
  let backend: Backend | undefined;
  let server: Server | undefined;
  let port: number | undefined;
  let controller: SubscriptionController | undefined;
  let inspector: Inspector = createInspector(1000);
  let stored = new StoredEvents(1000);
  let log: Logger | undefined;
  const tracing = new EventTracing(opts.tracerProvider);

  async function publishEvent(event: CloudEvent<unknown>, headers: HeaderBag, via: 'publish' | 'legacy' | 'api' | 'replay', replayOf?: string) {
    const publishDeps = { backend: () => backend, inspector, matching: (subject: string) => controller?.matching(subject) ?? [], tracing };
    const r = await storeEvent(publishDeps, event, { headers, via, ...(replayOf ? { replayOf } : {}) });
    stored.set(event.id, JSON.stringify(event.toJSON()));
    return r;
  }

  /** As upstream's publisher: a registered Application's type label (or clean name) is the legacy event source. */
  function sourceFor(app: string): string {
    const registered = ctx?.store.find(APPLICATION, undefined, app);
    return registered ? cleanTypeOrName(app, registered.metadata.labels) : app;
  }

  const api: EventingApi = {
    queryEvents: (q) => inspector.query(q),
    getEvent: (id) => inspector.get(id),
    subscribe: (l) => inspector.subscribe(l),
    async publish(ce: PublishInput) {
      const { extensions, ...attrs } = ce;
      const event = makeEvent({ datacontenttype: 'application/json', ...extensions, ...attrs, id: ce.id ?? newEventId() });
      return publishEvent(event, {}, 'api');
    },
    async publishLegacy(app, body) {
      const problem = validateLegacy(body);
      if (problem) throw new EventingError(problem.status, `${problem.message}${problem.details ? ` (${problem.details.map((d) => `${d.field}: ${d.type}`).join(', ')})` : ` ${problem.moreInfo}`}`);
      return publishEvent(legacyToCloudEvent(sourceFor(app), body), {}, 'legacy');
    },
    async replay(id: string, o: ReplayOptions = {}): Promise<ReplayResult> {
      const json = stored.get(id);
      if (!json) throw new EventingError(404, `event ${id} is not in the inspector any more (the last ${ctx?.profile.retention.events ?? 1000} events are kept, within retention.eventBytes)`);
      const original = deliverableEvent(json);
      const edited = 'data' in o ? original.cloneWith({ data: o.data }) : original;
      if (o.subscription) {
        const sub = controller?.get(o.subscription);
        if (!sub) throw new EventingError(404, `subscription ${o.subscription.namespace}/${o.subscription.name} is not known to eventing`);
        const retry = retrySettings();
        const prior = inspector.get(id)?.attempts.filter((a) => a.subscription.name === sub.ref.name && a.subscription.namespace === sub.ref.namespace).length ?? 0;
        const span = tracing.startDelivery(edited, { subject: sub.entries[0]?.subject ?? '', subscription: sub.ref, sink: sub.sink, attempt: prior + 1 });
        const r = await deliver(sub.sink, ctx!.services, edited, retry.deliveryTimeoutMs, undefined, span ? { traceHeaders: span.headers } : {});
        span?.end(r);
        const attempt = {
          eventId: id,
          subscription: sub.ref,
          sink: sub.sink,
          attempt: prior + 1,
          latencyMs: r.latencyMs,
          ...(r.statusCode !== undefined ? { statusCode: r.statusCode } : {}),
          ...(r.error ? { error: r.error } : {}),
          outcome: r.ok ? ('success' as const) : ('retry' as const),
          time: new Date().toISOString(),
          ...(span ? { traceId: span.traceId, spanId: span.spanId } : {}),
        };
        inspector.recordAttempt(attempt);
        return { id, attempt };
      }
      const fresh = edited.cloneWith({ id: newEventId() });
      const r = await publishEvent(fresh, {}, 'replay', id);
      return { id: r.id };
    },
  };

  function retrySettings() {
    const p = ctx!.profile.eventing;
    const ackWaitMs = opts.ackWaitMs ?? 30_000;
    return {
      retryInitialMs: p.retryInitialMs,
      retryMaxMs: p.retryMaxMs,
      maxDeliver: p.maxDeliver,
      deliveryTimeoutMs: Math.min(opts.deliveryTimeoutMs ?? 25_000, Math.max(1_000, ackWaitMs - 1_000)),
    };
  }

  async function teardown(): Promise<void> {
    await controller?.stop().catch(() => undefined);
    controller = undefined;
    if (server) {
      const s = server;
      server = undefined;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    if (ctx && port !== undefined) {
      ctx.services.remove('eventing-publisher-proxy', 'kyma-system');
      ctx.endpoints.delete('publisher');
    }
    port = undefined;
    await backend?.close().catch(() => undefined);
    backend = undefined;
  }

  return {
    name: 'eventing',
    api,
    async start(c) {
      ctx = c;
      log = c.log.child({ component: 'eventing' });
      state = 'Starting';
      message = undefined;
      // retention.eventBytes is shared: half for the inspector's records, half for the stored form kept for replay.
      const eventBytes = c.profile.retention.eventBytes ?? DEFAULT_EVENT_BYTES;
      inspector = createInspector(c.profile.retention.events, eventBytes / 2);
      stored = new StoredEvents(c.profile.retention.events, eventBytes / 2);
      try {
        backend = await connectBackend(c.natsUrl, log);
        await ensureStream(backend.jsm, c.profile.limits.eventStreamMaxBytes);
        controller = new SubscriptionController({
          store: c.store,
          subscriptionType: opts.subscriptionType ?? SUBSCRIPTION,
          backend,
          services: c.services,
          inspector,
          retry: retrySettings(),
          ackWaitMs: opts.ackWaitMs ?? 30_000,
          log,
          tracing,
        });
        await controller.start();
        const b = backend;
        const started = await startProxyServer(
          {
            ready: () => b.connected(),
            publish: (ev, headers, via) => publishEvent(ev, headers, via),
            sourceFor,
            subscribed: (app) => eventsInfo((controller?.all() ?? []).filter((s) => s.source === app).flatMap((s) => s.entries.map((e) => e.originalType))),
          },
          c.profile.ports.publisher,
        );
        server = started.server;
        port = started.port;
        c.endpoints.set('publisher', `http://127.0.0.1:${port}/publish`);
        c.services.set('eventing-publisher-proxy', 'kyma-system', [{ host: '127.0.0.1', port }]);
        state = 'Ready';
        log.info('Eventing ready', { publisher: `http://127.0.0.1:${port}/publish` });
      } catch (err) {
        state = 'Failed';
        message = err instanceof Error ? err.message : String(err);
        await teardown();
        throw new Error(`Eventing failed to start: ${message}`);
      }
    },
    async stop() {
      state = 'Stopping';
      await teardown();
      state = 'Stopped';
    },
    status(): ComponentStatus {
      const url = port !== undefined ? `http://127.0.0.1:${port}/publish` : undefined;
      const degraded = state === 'Ready' && backend && !backend.connected();
      return {
        name: 'eventing',
        kind: 'module',
        state,
        ...(degraded ? { message: 'not connected to nats-server; publishing answers 502' } : message ? { message } : {}),
        ...(port !== undefined ? { ports: { publisher: port } } : {}),
        ...(url ? { urls: { publisher: url } } : {}),
      };
    },
  };
}
