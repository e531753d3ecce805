import type {
  AttemptRecord,
  EventOutcome,
  EventQuery,
  DeliverySummary,
  EventRecord,
  EventSummary,
  EventWithAttempts,
  InspectorEntry,
  SubscriptionRef,
} from './types.js';

/** Attempts kept per event; a sink failing 100 times tells the story well enough. */
const MAX_ATTEMPTS_PER_EVENT = 200;
/** Data larger than this (as JSON) is cut, so a burst of big events cannot exhaust the daemon's memory. */
export const MAX_DATA_CHARS = 16 * 1024;

export interface Inspector {
  recordEvent(ev: EventRecord): void;
  recordAttempt(a: AttemptRecord): void;
  has(id: string): boolean;
  /** When this inspector started recording (epoch ms): events stored in JetStream before then are unknown to it. */
  readonly startedAt: number;
  query(q?: EventQuery): EventSummary[];
  get(id: string): EventWithAttempts | undefined;
  subscribe(listener: (e: InspectorEntry) => void): () => void;
}

/**
 * Cuts data whose JSON form is over the limit; returns the value to keep, whether it was cut and its size (the
 * cut data's full size, for "shown truncated with the size"; otherwise an estimate of what is kept).
 */
export function truncateData(data: unknown): { data: unknown; truncated: boolean; bytes: number } {
  if (data === undefined) return { data, truncated: false, bytes: 0 };
  if (Buffer.isBuffer(data) || data instanceof Uint8Array) {
    const b = Buffer.from(data);
    if (b.length <= MAX_DATA_CHARS) return { data: b.toString('base64'), truncated: false, bytes: b.length };
    return { data: b.subarray(0, MAX_DATA_CHARS).toString('base64'), truncated: true, bytes: b.length };
  }
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  if (text === undefined || text.length <= MAX_DATA_CHARS) return { data, truncated: false, bytes: text?.length ?? 0 };
  return { data: text.slice(0, MAX_DATA_CHARS), truncated: true, bytes: Buffer.byteLength(text) };
}

/** Rough heap cost of one inspector record: its strings and maps; data counted as kept (at most MAX_DATA_CHARS). */
export function recordBytes(ev: EventRecord): number {
  let n = 512 + ev.id.length + ev.type.length + ev.source.length + ev.subject.length;
  const data = ev.data;
  if (typeof data === 'string') n += data.length;
  else if (data !== undefined) n += Math.min(ev.dataBytes ?? MAX_DATA_CHARS, MAX_DATA_CHARS) * 2;
  for (const m of [ev.extensions, ev.headers]) for (const k in m) n += 48 + k.length + (m[k]?.length ?? 0);
  return n + ev.subscriptions.length * 64;
}

/** Rough cost of one delivery attempt record. */
const ATTEMPT_BYTES = 320;

const sameSub = (a: SubscriptionRef, b: SubscriptionRef): boolean => a.namespace === b.namespace && a.name === b.name;

function toMs(v: string | number): number {
  return typeof v === 'number' ? v : Date.parse(v);
}

/** Per subscription the event matched or was delivered to, from its last attempt. */
function deliveriesOf(e: EventWithAttempts): DeliverySummary[] {
  const subs = new Map<string, SubscriptionRef>();
  for (const s of e.subscriptions) subs.set(`${s.namespace}/${s.name}`, s);
  for (const a of e.attempts) subs.set(`${a.subscription.namespace}/${a.subscription.name}`, a.subscription);
  const out: DeliverySummary[] = [];
  for (const s of subs.values()) {
    let last: AttemptRecord | undefined;
    let attempts = 0;
    for (const a of e.attempts) {
      if (!sameSub(a.subscription, s)) continue;
      last = a;
      attempts++;
    }
    const state: EventOutcome = !last ? 'pending' : last.outcome === 'success' ? 'delivered' : last.outcome === 'dead-lettered' ? 'dead-lettered' : 'failed';
    out.push({ subscription: s, state, attempts, ...(last?.statusCode !== undefined ? { statusCode: last.statusCode } : {}), ...(last ? { latencyMs: last.latencyMs } : {}) });
  }
  return out;
}

/** The states an outcome filter matches against (restricted to `only`); an event with no subscription is pending. */
function statesOf(deliveries: DeliverySummary[], only?: SubscriptionRef): EventOutcome[] {
  const states = deliveries.filter((d) => !only || sameSub(d.subscription, only)).map((d) => d.state);
  if (states.length === 0 && !only) states.push('pending');
  return states;
}

/**
 * In-memory store of published events and their delivery attempts, with a live feed; bounded by count
 * (`retention.events`) and by approximate bytes (its share of `retention.eventBytes`), oldest out first.
 */
export function createInspector(maxEvents: number, maxBytes = Number.POSITIVE_INFINITY): Inspector {
  // Map keeps insertion order, so the first key is the oldest event.
  const events = new Map<string, EventWithAttempts>();
  const sizes = new Map<string, number>();
  let bytes = 0;
  const listeners = new Set<(e: InspectorEntry) => void>();
  const emit = (entry: InspectorEntry): void => {
    for (const l of listeners) {
      try {
        l(entry);
      } catch {
        // a broken live-stream client must not affect recording
      }
    }
  };
  const limit = Math.max(1, maxEvents);

  return {
    recordEvent(ev) {
      const existing = events.get(ev.id);
      events.delete(ev.id);
      bytes -= sizes.get(ev.id) ?? 0;
      // A re-published id (publishers may reuse ids) keeps its attempts so history is not lost.
      const attempts = existing?.attempts ?? [];
      events.set(ev.id, { ...ev, attempts });
      const size = recordBytes(ev) + attempts.length * ATTEMPT_BYTES;
      sizes.set(ev.id, size);
      bytes += size;
      while (events.size > 1 && (events.size > limit || bytes > maxBytes)) {
        const oldest = events.keys().next().value;
        if (oldest === undefined) break;
        events.delete(oldest);
        bytes -= sizes.get(oldest) ?? 0;
        sizes.delete(oldest);
      }
      emit({ kind: 'event', ...ev });
    },
    recordAttempt(a) {
      const e = events.get(a.eventId);
      if (e) {
        e.attempts.push(a);
        if (e.attempts.length > MAX_ATTEMPTS_PER_EVENT) e.attempts.splice(0, e.attempts.length - MAX_ATTEMPTS_PER_EVENT);
        else {
          sizes.set(a.eventId, (sizes.get(a.eventId) ?? 0) + ATTEMPT_BYTES);
          bytes += ATTEMPT_BYTES;
        }
      }
      emit({ kind: 'attempt', ...a });
    },
    has: (id) => events.has(id),
    startedAt: Date.now(),
    query(q = {}) {
      const since = q.since !== undefined ? toMs(q.since) : undefined;
      const until = q.until !== undefined ? toMs(q.until) : undefined;
      const out: EventSummary[] = [];
      const all = [...events.values()].reverse();
      for (const e of all) {
        if (q.type !== undefined && e.type !== q.type) continue;
        if (q.source !== undefined && e.source !== q.source) continue;
        const at = Date.parse(e.publishedAt);
        if (since !== undefined && at < since) continue;
        if (until !== undefined && at > until) continue;
        if (q.subscription) {
          const sub = q.subscription;
          const involved = e.subscriptions.some((s) => sameSub(s, sub)) || e.attempts.some((a) => sameSub(a.subscription, sub));
          if (!involved) continue;
        }
        const deliveries = deliveriesOf(e);
        if (q.outcome && !statesOf(deliveries, q.subscription).includes(q.outcome)) continue;
        const { attempts: _attempts, ...rec } = e;
        out.push({ ...rec, deliveries });
        if (out.length >= (q.limit ?? 100)) break;
      }
      return out;
    },
    get(id) {
      const e = events.get(id);
      return e ? { ...e, attempts: [...e.attempts] } : undefined;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
