import { ApiError, badRequest, type KubeObject, type Logger, type ResourceType } from '../model/index.js';
import type { WatchEvent } from './store.js';

/** An event as recorded: the public event plus what the object looked like before (for selector transitions). */
export interface RecordedEvent {
  rv: number;
  type: ResourceType;
  event: WatchEvent;
  previous?: KubeObject;
}

export interface WatchFilter {
  type: ResourceType | undefined;
  /** True when the object is selected by namespace/label/field filters. */
  matches: (obj: KubeObject) => boolean;
}

interface Watcher {
  filter: WatchFilter;
  listener: (ev: WatchEvent) => void;
  /** Events waiting while the replay is delivered asynchronously; undefined once live. */
  queue: RecordedEvent[] | undefined;
  closed: boolean;
}

/**
 * Fans out events to watchers and keeps a bounded history so a watcher can resume from a resourceVersion.
 * Events carry copies, and listener exceptions are logged, so a listener can't corrupt or break the store.
 */
export class WatchHub {
  private readonly ring: RecordedEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  /** The newest resourceVersion whose event is no longer in the ring; resuming at or after it is possible. */
  private evictedUpTo: number;

  constructor(
    private readonly capacity: number,
    startRv: number,
    private readonly log: Logger,
  ) {
    this.evictedUpTo = startRv;
  }

  publish(rec: RecordedEvent): void {
    this.ring.push(rec);
    if (this.ring.length > this.capacity) {
      const dropped = this.ring.shift();
      if (dropped) this.evictedUpTo = dropped.rv;
    }
    for (const w of this.watchers) {
      if (w.queue) w.queue.push(rec);
      else this.deliver(w, rec);
    }
  }

  watch(filter: WatchFilter, resourceVersion: string | undefined, listener: (ev: WatchEvent) => void): () => void {
    const replay = this.replayFrom(resourceVersion);
    const w: Watcher = { filter, listener, queue: replay.length > 0 ? replay : undefined, closed: false };
    this.watchers.add(w);
    // Replay after watch() returns, so callers hold their unsubscribe function before the first event.
    if (w.queue) {
      queueMicrotask(() => {
        while (w.queue && w.queue.length > 0) {
          const rec = w.queue.shift();
          if (rec) this.deliver(w, rec);
        }
        w.queue = undefined;
      });
    }
    return () => {
      w.closed = true;
      this.watchers.delete(w);
    };
  }

  private replayFrom(resourceVersion: string | undefined): RecordedEvent[] {
    if (resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0') return [];
    if (!/^[0-9]+$/.test(resourceVersion)) throw badRequest(`Invalid resourceVersion "${resourceVersion}": must be a non-negative integer as returned by list or watch`);
    const rv = Number(resourceVersion);
    if (rv < this.evictedUpTo) {
      throw new ApiError(410, 'Gone', `too old resource version: ${rv} (${this.evictedUpTo + 1})`);
    }
    return this.ring.filter((r) => r.rv > rv);
  }

  private deliver(w: Watcher, rec: RecordedEvent): void {
    if (w.closed) return;
    const t = w.filter.type;
    if (t && (t.group !== rec.type.group || t.kind !== rec.type.kind)) return;
    const ev = this.project(w.filter, rec);
    if (!ev) return;
    try {
      w.listener(ev);
    } catch (e) {
      this.log.error('A watch listener threw; the event was dropped for that listener only', { kind: rec.type.kind, error: String(e) });
    }
  }

  /** Like the API server: an object entering a selection is ADDED, leaving it is DELETED. */
  private project(filter: WatchFilter, rec: RecordedEvent): WatchEvent | undefined {
    const now = filter.matches(rec.event.object);
    if (rec.event.type !== 'MODIFIED') return now ? clone(rec.event) : undefined;
    const before = rec.previous ? filter.matches(rec.previous) : now;
    if (now && before) return clone(rec.event);
    if (now) return { type: 'ADDED', object: structuredClone(rec.event.object) };
    if (before) return { type: 'DELETED', object: structuredClone(rec.event.object) };
    return undefined;
  }

  get size(): number {
    return this.watchers.size;
  }

  closeAll(): void {
    for (const w of this.watchers) w.closed = true;
    this.watchers.clear();
  }
}

function clone(ev: WatchEvent): WatchEvent {
  return { type: ev.type, object: structuredClone(ev.object) };
}
