/** The event inspector's and publishing API's wire types (GET/POST /kl/v1/events…). */

export interface SubscriptionRef {
  namespace: string;
  name: string;
}

/** One published event as the inspector keeps it. */
export interface EventRecord {
  /** CloudEvent id. */
  id: string;
  /** The original (uncleaned) type the publisher sent. */
  type: string;
  source: string;
  /** The JetStream subject it was stored under (`kyma.<cleanSource>.<cleanType>`). */
  subject: string;
  /** CloudEvent `time` if set, else the time the proxy received it (ISO 8601). */
  time: string;
  /** When the publisher proxy stored it (ISO 8601). */
  publishedAt: string;
  datacontenttype?: string;
  /** The event data; strings longer than the inspector limit are cut and `dataTruncated` is set. */
  data?: unknown;
  dataTruncated?: boolean;
  /** With `dataTruncated`: the size of the whole data in bytes (as JSON, or raw for binary data). */
  dataBytes?: number;
  /** CloudEvent extensions (traceparent, b3traceid, eventtypeversion, …) without `originaltype`. */
  extensions: Record<string, string>;
  /** Request headers the publisher sent (credentials removed). */
  headers: Record<string, string>;
  /** W3C trace id (from traceparent) or B3 trace id, if any. */
  traceId?: string;
  /**
   * How the event came in. `recovered`: published before the daemon restarted (the inspector lives in memory) and
   * delivered after; what the inspector shows of it comes from the event stored in JetStream.
   */
  via: 'publish' | 'legacy' | 'api' | 'replay' | 'recovered';
  /** For replays: the id of the event that was replayed. */
  replayOf?: string;
  /** Subscriptions whose filter matched when the event was published (those that should receive it). */
  subscriptions: SubscriptionRef[];
  /**
   * What the inspector could not observe, said plainly: on the kind/kubernetes runtime the event went to the
   * cluster's publisher proxy and its deliveries happen inside the cluster, so no subscriptions or attempts are known.
   */
  note?: string;
}

export type AttemptOutcome = 'success' | 'retry' | 'dead-lettered';

/** One HTTP delivery attempt of an event to a subscription's sink. */
export interface AttemptRecord {
  eventId: string;
  subscription: SubscriptionRef;
  sink: string;
  /** 1-based; JetStream's delivery count. */
  attempt: number;
  /** HTTP status of the sink's answer; absent when there was none (connection refused, timeout). */
  statusCode?: number;
  latencyMs: number;
  error?: string;
  outcome: AttemptOutcome;
  time: string;
  /** The trace and span of this attempt's `deliver` span (when the platform records spans). */
  traceId?: string;
  spanId?: string;
}

export interface EventWithAttempts extends EventRecord {
  attempts: AttemptRecord[];
}

/** Where an event stands with one subscription, from its last attempt (see EventOutcome). */
export interface DeliverySummary {
  subscription: SubscriptionRef;
  state: EventOutcome;
  /** Attempts so far. */
  attempts: number;
  /** The last attempt's HTTP status and latency, when there was one. */
  statusCode?: number;
  latencyMs?: number;
}

/** An event as listed: its record and where each of its deliveries stands. */
export interface EventSummary extends EventRecord {
  deliveries: DeliverySummary[];
}

/**
 * Outcome filter, evaluated per (event, subscription) from the last attempt: `delivered` = last attempt succeeded,
 * `failed` = last attempt failed and will be retried, `dead-lettered` = given up after maxDeliver, `pending` = an
 * expected subscription has no attempt yet (or the event matched no subscription at all). An event matches if any
 * of its (event, subscription) pairs (restricted to `subscription` when given) has that state.
 */
export type EventOutcome = 'delivered' | 'failed' | 'pending' | 'dead-lettered';

export interface EventQuery {
  type?: string;
  source?: string;
  subscription?: SubscriptionRef;
  outcome?: EventOutcome;
  /** ISO 8601 or epoch ms; compares with publishedAt. */
  since?: string | number;
  until?: string | number;
  /** Newest first; default 100. */
  limit?: number;
}

export type InspectorEntry =
  | ({ kind: 'event' } & EventRecord)
  | ({ kind: 'attempt' } & AttemptRecord);

/** A CloudEvent to publish through the API (what `kyma-local publish` sends). */
export interface PublishInput {
  type: string;
  source: string;
  data?: unknown;
  /** Generated (UUID) when absent. */
  id?: string;
  /** Default application/json. */
  datacontenttype?: string;
  time?: string;
  specversion?: string;
  /** Extra CloudEvent extension attributes (lower-case alphanumeric names). */
  extensions?: Record<string, string>;
}

export interface PublishResult {
  id: string;
  subject: string;
}

/** The body of a legacy `/<app>/v1/events` request. */
export interface LegacyEventBody {
  'event-type'?: string;
  'event-type-version'?: string;
  'event-id'?: string;
  'event-time'?: string;
  data?: unknown;
}

export interface ReplayOptions {
  /** Replace the data (same type, source, extensions). */
  data?: unknown;
  /** Deliver directly to this subscription's sink instead of re-publishing to every matching subscription. */
  subscription?: SubscriptionRef;
}

export interface ReplayResult {
  /** The id of the new event (re-publish) or of the replayed event (direct delivery). */
  id: string;
  /** Direct delivery only: the attempt made. */
  attempt?: AttemptRecord;
}
