import { getEvent, listEvents } from './daemon.js';
import type { AttemptRecord, EventOutcome, EventRecord, EventWithAttempts, SubscriptionRef } from './types.js';

/** Where an event stands with one subscription: the daemon's outcome filter's states. */
export type DeliveryState = EventOutcome;

export const subKey = (s: SubscriptionRef): string => `${s.namespace}/${s.name}`;

/** Per subscription: the attempts in order and the state of the last one (as the daemon's outcome filter defines it). */
export function deliveries(ev: EventRecord, attempts: AttemptRecord[]): Array<{ subscription: string; state: DeliveryState; attempts: AttemptRecord[] }> {
  const bySub = new Map<string, AttemptRecord[]>();
  for (const s of ev.subscriptions) bySub.set(subKey(s), []);
  for (const a of attempts) {
    const k = subKey(a.subscription);
    if (!bySub.has(k)) bySub.set(k, []);
    bySub.get(k)!.push(a);
  }
  return [...bySub.entries()].map(([subscription, list]) => {
    const last = list[list.length - 1];
    const state: DeliveryState = !last ? 'pending' : last.outcome === 'success' ? 'delivered' : last.outcome === 'dead-lettered' ? 'dead-lettered' : 'failed';
    return { subscription, state, attempts: list };
  });
}

/** The event's overall state: the worst of its deliveries; `not observed` where they happen out of sight (a cluster). */
export function overall(ev: EventRecord, attempts: AttemptRecord[]): DeliveryState | 'no subscriber' | 'not observed' {
  const d = deliveries(ev, attempts);
  if (d.length === 0) return ev.note ? 'not observed' : 'no subscriber';
  for (const s of ['dead-lettered', 'failed', 'pending'] as const) if (d.some((x) => x.state === s)) return s;
  return 'delivered';
}

/** Events (newest first) with their attempts, updated from the inspector stream. */
export class EventBook {
  private readonly events = new Map<string, EventWithAttempts>();

  constructor(private readonly cap = 500) {}

  load(items: EventWithAttempts[]): void {
    for (const e of items) this.events.set(e.id, e);
    this.trim();
  }

  addEvent(e: EventRecord): void {
    const prev = this.events.get(e.id);
    this.events.set(e.id, { ...e, attempts: prev?.attempts ?? [] });
    this.trim();
  }

  addAttempt(a: AttemptRecord): void {
    const e = this.events.get(a.eventId);
    if (!e) return;
    if (e.attempts.some((x) => x.attempt === a.attempt && subKey(x.subscription) === subKey(a.subscription) && x.time === a.time)) return;
    this.events.set(a.eventId, { ...e, attempts: [...e.attempts, a] });
  }

  list(): EventWithAttempts[] {
    return [...this.events.values()].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }

  private trim(): void {
    if (this.events.size <= this.cap) return;
    const oldest = [...this.events.values()].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
    for (const e of oldest.slice(0, this.events.size - this.cap)) this.events.delete(e.id);
  }
}

/** The newest events with their attempts, to fill the inspector before its live stream takes over. */
export async function loadRecentEvents(signal: AbortSignal): Promise<EventWithAttempts[]> {
  const { items } = await listEvents({ limit: 200 }, { signal });
  // Attempts come with each event's detail; the newest ones matter most for the list's state column.
  const detailed = await Promise.all(items.slice(0, 60).map((e) => getEvent(e.id, { signal }).catch(() => ({ ...e, attempts: [] }))));
  return [...detailed, ...items.slice(60).map((e) => ({ ...e, attempts: [] }))];
}
