import { createTurnBatcher } from './turn-batcher.js';
import type { ConsumerMessages, JetStreamClient, JsMsg } from 'nats';
import type { Logger } from '../../model/index.js';
import type { ServiceRegistry } from '../module.js';
import { deliver, plainDeliverable } from './delivery.js';
import type { Inspector } from './inspector.js';
import { STREAM_NAME } from './naming.js';
import { recoveredEventRecord } from './publisher.js';
import type { EventTracing } from './tracing.js';
import type { SubscriptionRef } from './types.js';

export interface RetrySettings {
  retryInitialMs: number;
  retryMaxMs: number;
  maxDeliver: number;
  deliveryTimeoutMs: number;
}

export interface DispatcherTarget {
  ref: SubscriptionRef;
  consumer: string;
  sink: string;
  maxInFlight: number;
}

export interface DispatcherDeps {
  js: JetStreamClient;
  services: ServiceRegistry;
  inspector: Inspector;
  retry: RetrySettings;
  log: Logger;
  /** Makes a `deliver` span per attempt; optional. */
  tracing?: EventTracing;
}

/** NAK delay before delivery n+1: initial, doubling, capped (upstream uses a fixed 30s; locally we back off). */
export function retryDelay(attempt: number, r: Pick<RetrySettings, 'retryInitialMs' | 'retryMaxMs'>): number {
  return Math.min(r.retryMaxMs, r.retryInitialMs * 2 ** Math.max(0, attempt - 1));
}

/** A counting semaphore so at most maxInFlight deliveries run at once (maxInFlightMessages). */
class Slots {
  private used = 0;
  private waiters: Array<() => void> = [];
  constructor(private size: number) {}
  resize(n: number): void {
    this.size = n;
    this.wake();
  }
  async acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    this.used--;
    this.wake();
  }
  private wake(): void {
    while (this.used < this.size && this.waiters.length > 0) {
      this.used++;
      this.waiters.shift()!();
    }
  }
}

/**
 * Acks of all dispatchers leave in one write per event-loop turn.
 * Terminations carry no reason: nats-server before 2.10 does not recognise "+TERM <reason>", so the message
 * would stay pending and hold one of the consumer's maxInFlightMessages slots until its ack wait ran out.
 */
const ackBatch = createTurnBatcher();

/** Pulls one durable consumer and POSTs each event to the subscription's sink. */
export class Dispatcher {
  private stopped = false;
  private messages: ConsumerMessages | undefined;
  private readonly abort = new AbortController();
  private readonly slots: Slots;
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private wakeRetry: (() => void) | undefined;

  constructor(
    private target: DispatcherTarget,
    private readonly deps: DispatcherDeps,
  ) {
    this.slots = new Slots(target.maxInFlight);
  }

  get consumer(): string {
    return this.target.consumer;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Sink and concurrency may change without restarting the pull. */
  update(t: DispatcherTarget): void {
    this.target = t;
    this.slots.resize(t.maxInFlight);
  }

  /** Restarts a pull that died (e.g. after a nats-server restart) without waiting for the backoff. */
  kick(): void {
    this.wakeRetry?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wakeRetry?.();
    await this.messages?.close().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const c = await this.deps.js.consumers.get(STREAM_NAME, this.target.consumer);
        this.messages = await c.consume({ max_messages: Math.max(1, this.target.maxInFlight) });
        if (this.stopped) break;
        for await (const m of this.messages) {
          await this.slots.acquire();
          if (this.stopped) {
            this.slots.release();
            m.nak();
            continue;
          }
          const p = this.handle(m).finally(() => {
            this.slots.release();
            this.inFlight.delete(p);
          });
          this.inFlight.add(p);
        }
      } catch (err) {
        if (!this.stopped) this.deps.log.warn('Event dispatcher pull failed; retrying', { consumer: this.target.consumer, error: String(err) });
      }
      if (!this.stopped) await new Promise<void>((r) => {
        this.wakeRetry = r;
        setTimeout(r, 1_000).unref();
      });
    }
  }

  private async handle(m: JsMsg): Promise<void> {
    const { ref, sink } = this.target;
    const attempt = m.info.deliveryCount;
    let eventId = '';
    let result;
    let span;
    try {
      const event = plainDeliverable(m.string());
      eventId = event.id;
      // Stored before this inspector started (a daemon restart): record it from JetStream, or its deliveries would
      // show nowhere. A newer unknown event is one whose publish is still being recorded; it is left to the publisher.
      const storedAtMs = m.info.timestampNanos / 1e6;
      if (storedAtMs < this.deps.inspector.startedAt && !this.deps.inspector.has(eventId)) this.deps.inspector.recordEvent(recoveredEventRecord(event, m.subject, storedAtMs));
      span = this.deps.tracing?.startDelivery(event, { subject: m.subject, subscription: ref, sink, attempt });
      result = await deliver(sink, this.deps.services, event, this.deps.retry.deliveryTimeoutMs, this.abort.signal, {
        ...(span ? { traceHeaders: span.headers } : {}),
      });
      span?.end(result);
    } catch (err) {
      // An unparsable message can never be delivered: drop it instead of retrying forever.
      this.deps.log.error('Dropping a malformed event from JetStream', { consumer: this.target.consumer, error: String(err) });
      m.term();
      return;
    }
    if (this.stopped && !result.ok) {
      // Interrupted by stop(): hand the event back for immediate redelivery after a restart.
      m.nak();
      return;
    }
    const base = { eventId, subscription: ref, sink, attempt, latencyMs: result.latencyMs, time: new Date().toISOString(), ...(span ? { traceId: span.traceId, spanId: span.spanId } : {}) };
    const extra = { ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}), ...(result.error ? { error: result.error } : {}) };
    if (result.ok) {
      ackBatch(() => m.ack());
      this.deps.inspector.recordAttempt({ ...base, ...extra, outcome: 'success' });
    } else if (attempt >= this.deps.retry.maxDeliver) {
      m.term();
      this.deps.inspector.recordAttempt({ ...base, ...extra, outcome: 'dead-lettered' });
      this.deps.log.warn('Event dead-lettered', { event: eventId, subscription: `${ref.namespace}/${ref.name}`, attempts: attempt });
    } else {
      ackBatch(() => m.nak(retryDelay(attempt, this.deps.retry)));
      this.deps.inspector.recordAttempt({ ...base, ...extra, outcome: 'retry' });
    }
  }
}
