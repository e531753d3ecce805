import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { ApiError, isRecord } from '../model/index.js';
import type {
  EventQuery,
  EventRecord,
  EventSummary,
  EventWithAttempts,
  InspectorEntry,
  LegacyEventBody,
  PublishInput,
  PublishResult,
  ReplayOptions,
  ReplayResult,
} from '../api/index.js';
import type { EventsCapability } from '../runtime.js';
import type { ClusterProxy } from './cluster-proxy.js';

/** The cluster's publisher proxy, as in-cluster publishers name it (Kyma eventing). */
const PUBLISHER_HOST = 'eventing-publisher-proxy.kyma-system.svc.cluster.local';
/** Data longer than this (as JSON) is cut in the inspector's view, as on the embedded runtime. */
const MAX_DATA_CHARS = 16 * 1024;

export const CLUSTER_DELIVERY_NOTE =
  "Published to the cluster's eventing-publisher-proxy; deliveries to subscribers happen inside the cluster and are not observed by Kyma Local (no attempts are shown). See them in the subscribers' logs or `kubectl get subscriptions -A`.";

interface Kept {
  event: EventWithAttempts;
  /** What was published, whole, for replay. */
  published: PublishInput;
  bytes: number;
}

export interface ClusterEventsOptions {
  proxy: () => ClusterProxy | undefined;
  /** The profile's retention: event count and byte budget of the inspector. */
  limits: () => { events: number; eventBytes: number };
}

function toMs(v: string | number): number {
  return typeof v === 'number' ? v : Date.parse(v);
}

function shown(data: unknown): Pick<EventRecord, 'data' | 'dataTruncated' | 'dataBytes'> {
  if (data === undefined) return {};
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  if (text === undefined || text.length <= MAX_DATA_CHARS) return { data };
  return { data: text.slice(0, MAX_DATA_CHARS), dataTruncated: true, dataBytes: Buffer.byteLength(text) };
}

/** Rough heap cost of a kept event: its record (data as shown) plus the whole published form. */
function sizeOf(event: EventRecord, published: PublishInput): number {
  return 512 + 2 * (JSON.stringify(event).length + (JSON.stringify(published.data) ?? '').length);
}

/**
 * Events on a kind or attached cluster: publishing goes through the cluster proxy to the cluster's
 * eventing-publisher-proxy (`/publish`, `/<app>/v1/events`), exactly as an in-cluster publisher would; the
 * inspector keeps what was published through Kyma Local (bounded in count and bytes). Deliveries happen inside the
 * cluster: the inspector shows none and every event carries a note saying so.
 */
export class ClusterEvents implements EventsCapability {
  private readonly kept = new Map<string, Kept>();
  private bytes = 0;
  private readonly listeners = new Set<(e: InspectorEntry) => void>();

  constructor(private readonly opts: ClusterEventsOptions) {}

  private record(event: EventRecord, published: PublishInput, attempts: EventWithAttempts['attempts'] = []): void {
    const old = this.kept.get(event.id);
    if (old) {
      this.kept.delete(event.id);
      this.bytes -= old.bytes;
    }
    const kept: Kept = { event: { ...event, attempts }, published, bytes: sizeOf(event, published) };
    this.kept.set(event.id, kept);
    this.bytes += kept.bytes;
    const { events, eventBytes } = this.opts.limits();
    while (this.kept.size > 1 && (this.kept.size > Math.max(1, events) || this.bytes > eventBytes)) {
      const [id, oldest] = this.kept.entries().next().value as [string, Kept];
      this.kept.delete(id);
      this.bytes -= oldest.bytes;
    }
    for (const l of this.listeners) {
      try {
        l({ kind: 'event', ...event });
      } catch {
        // a broken live-stream client must not affect recording
      }
    }
  }

  /** POSTs to the publisher proxy on the cluster; resolves with the status and body, rejects when the cluster is unreachable. */
  private post(path: string, contentType: string, body: string, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const proxy = this.opts.proxy();
    if (!proxy) return Promise.reject(new ApiError(503, 'ServiceUnavailable', 'the cluster is not up — run `kyma-local up`'));
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${proxy.url}${path}`, { method: 'POST', headers: { host: PUBLISHER_HOST, 'content-type': contentType, ...extraHeaders, ...proxy.trustHeaders } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, body: text }));
        res.on('error', reject);
      });
      req.on('error', (err) => reject(new ApiError(502, 'ServiceUnavailable', `cannot reach the cluster's publisher proxy: ${err.message}`)));
      req.end(body);
    });
  }

  private static failure(status: number, body: string, what: string): ApiError {
    const detail = body.trim().slice(0, 500) || 'no message';
    // The cluster's own verdict on a bad event stays a 400; everything else is the backend's trouble.
    if (status === 400 || status === 413 || status === 415) return new ApiError(400, 'BadRequest', `the cluster's publisher proxy refused the ${what} (${status}): ${detail}`);
    if (status === 404) return new ApiError(502, 'ServiceUnavailable', `the cluster has no eventing-publisher-proxy in kyma-system (404: ${detail}) — add the eventing module to the cluster`);
    return new ApiError(502, 'ServiceUnavailable', `the cluster's publisher proxy answered ${status}: ${detail}`);
  }

  async publish(ce: PublishInput): Promise<PublishResult> {
    return this.send(ce, 'api');
  }

  private async send(ce: PublishInput, via: EventRecord['via'], replayOf?: string): Promise<PublishResult> {
    if (typeof ce.type !== 'string' || ce.type === '' || typeof ce.source !== 'string' || ce.source === '') {
      throw new ApiError(400, 'BadRequest', 'an event needs a non-empty "type" and "source"');
    }
    const id = ce.id ?? randomUUID();
    const datacontenttype = ce.datacontenttype ?? 'application/json';
    const extensions = ce.extensions ?? {};
    const structured = { ...extensions, specversion: ce.specversion ?? '1.0', id, type: ce.type, source: ce.source, datacontenttype, ...(ce.time ? { time: ce.time } : {}), ...(ce.data !== undefined ? { data: ce.data } : {}) };
    const answer = await this.post('/publish', 'application/cloudevents+json', JSON.stringify(structured));
    if (answer.status < 200 || answer.status >= 300) throw ClusterEvents.failure(answer.status, answer.body, 'event');
    const now = new Date().toISOString();
    this.record(
      {
        id,
        type: ce.type,
        source: ce.source,
        subject: '',
        time: ce.time ?? now,
        publishedAt: now,
        datacontenttype,
        ...shown(ce.data),
        extensions,
        headers: { 'content-type': 'application/cloudevents+json' },
        via,
        ...(replayOf ? { replayOf } : {}),
        subscriptions: [],
        note: CLUSTER_DELIVERY_NOTE,
      },
      { ...ce, id },
    );
    return { id, subject: '' };
  }

  async publishLegacy(app: string, body: LegacyEventBody): Promise<PublishResult> {
    const answer = await this.post(`/${encodeURIComponent(app)}/v1/events`, 'application/json', JSON.stringify(body));
    if (answer.status < 200 || answer.status >= 300) throw ClusterEvents.failure(answer.status, answer.body, 'legacy event');
    let id = body['event-id'] ?? '';
    try {
      const parsed: unknown = JSON.parse(answer.body);
      if (isRecord(parsed) && typeof parsed['event-id'] === 'string') id = parsed['event-id'];
    } catch {
      // an answer without a body still published the event
    }
    id ||= randomUUID();
    const now = new Date().toISOString();
    const version = body['event-type-version'];
    // The publisher proxy makes `<event-type>.<version>` the CloudEvent type, as the embedded inspector shows it.
    const type = `${body['event-type'] ?? ''}${version ? `.${version}` : ''}`;
    this.record(
      {
        id,
        type,
        // The cluster derives the real source from the Application; what we know is the application's name.
        source: app,
        subject: '',
        time: body['event-time'] ?? now,
        publishedAt: now,
        datacontenttype: 'application/json',
        ...shown(body.data),
        extensions: version ? { eventtypeversion: version } : {},
        headers: { 'content-type': 'application/json' },
        via: 'legacy',
        subscriptions: [],
        note: CLUSTER_DELIVERY_NOTE,
      },
      { type, source: app, id, ...(body.data !== undefined ? { data: body.data } : {}) },
    );
    return { id, subject: '' };
  }

  queryEvents(q: EventQuery = {}): EventSummary[] {
    const since = q.since !== undefined ? toMs(q.since) : undefined;
    const until = q.until !== undefined ? toMs(q.until) : undefined;
    const out: EventSummary[] = [];
    // No subscription or delivery is known here: a subscription filter matches nothing, and every event is "pending"
    // in the inspector's sense (no attempt seen).
    if (q.subscription || (q.outcome && q.outcome !== 'pending')) return out;
    for (const { event } of [...this.kept.values()].reverse()) {
      if (q.type !== undefined && event.type !== q.type) continue;
      if (q.source !== undefined && event.source !== q.source) continue;
      const at = Date.parse(event.publishedAt);
      if ((since !== undefined && at < since) || (until !== undefined && at > until)) continue;
      const { attempts: _a, ...rec } = event;
      out.push({ ...rec, deliveries: [] });
      if (out.length >= (q.limit ?? 100)) break;
    }
    return out;
  }

  getEvent(id: string): EventWithAttempts | undefined {
    const k = this.kept.get(id);
    return k ? { ...k.event, attempts: [...k.event.attempts] } : undefined;
  }

  subscribe(listener: (entry: InspectorEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async replay(id: string, opts: ReplayOptions = {}): Promise<ReplayResult> {
    const k = this.kept.get(id);
    if (!k) throw new ApiError(404, 'NotFound', `event ${id} is not in the inspector (it keeps the events published through Kyma Local, newest first, within the profile's retention)`);
    if (opts.subscription) {
      throw new ApiError(400, 'BadRequest', `direct delivery to subscription ${opts.subscription.namespace}/${opts.subscription.name} is not possible here: its sink is inside the cluster — replay without a subscription re-publishes the event to every subscriber`);
    }
    const { id: _old, ...rest } = k.published;
    const r = await this.send({ ...rest, ...(opts.data !== undefined ? { data: opts.data } : {}) }, 'replay', id);
    return { id: r.id };
  }

  importEvents(events: EventWithAttempts[]): number {
    let added = 0;
    for (const e of events) {
      if (this.kept.has(e.id)) continue;
      const { attempts: _a, ...rec } = e;
      this.record(rec, { type: e.type, source: e.source, id: e.id, ...(e.data !== undefined && !e.dataTruncated ? { data: e.data } : {}), ...(e.datacontenttype ? { datacontenttype: e.datacontenttype } : {}), extensions: e.extensions }, e.attempts);
      added++;
    }
    return added;
  }
}
