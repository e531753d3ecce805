import { randomUUID } from 'node:crypto';
import { CloudEvent, ValidationError } from 'cloudevents';
import type { Backend } from './backend.js';
import type { Inspector } from './inspector.js';
import { truncateData } from './inspector.js';
import { hasEmptySegment, publishSubject } from './naming.js';
import { traceExtensionsFromHeaders, traceIdOf, type HeaderBag } from './trace-headers.js';
import type { EventTracing, PublishSpan } from './tracing.js';
import { EventingError, type EventRecord, type PublishResult, type SubscriptionRef } from './types.js';

export const ORIGINAL_TYPE_EXTENSION = 'originaltype';

const CORE_ATTRIBUTES = new Set(['id', 'type', 'source', 'specversion', 'datacontenttype', 'dataschema', 'subject', 'time', 'data', 'data_base64']);
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

export interface PublishDeps {
  backend(): Backend | undefined;
  inspector: Inspector;
  /** Subscriptions whose filter subject matches, for the inspector's "pending" view. */
  matching(subject: string): SubscriptionRef[];
  /** Makes the `publish <type>` span; without it the incoming trace headers are carried as they are. */
  tracing?: EventTracing;
}

export interface StoreOptions {
  headers?: HeaderBag;
  via: EventRecord['via'];
  replayOf?: string;
}

/** The extension attributes of a CloudEvent (everything that is not a core attribute). */
export function extensionsOf(ev: CloudEvent<unknown> | Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ev)) {
    if (!CORE_ATTRIBUTES.has(k) && v !== undefined && v !== null && typeof v !== 'function') out[k] = String(v);
  }
  return out;
}

/** Builds a CloudEvent, turning SDK validation errors into 400s that say which attribute is wrong. */
export function makeEvent(attrs: Record<string, unknown>): CloudEvent<unknown> {
  try {
    return new CloudEvent<unknown>(attrs);
  } catch (err) {
    throw invalidEvent(err);
  }
}

export function invalidEvent(err: unknown): EventingError {
  if (err instanceof ValidationError) {
    const details = (err.errors ?? []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ');
    return new EventingError(400, `invalid CloudEvent: ${err.message}${details ? ` (${details})` : ''}`);
  }
  return new EventingError(400, `invalid CloudEvent: ${err instanceof Error ? err.message : String(err)}`);
}

function cleanHeaders(h: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || SECRET_HEADERS.has(k.toLowerCase())) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * Stores an event in JetStream the way the publisher proxy does: subject `kyma.<cleanSource>.<cleanType>`, type
 * replaced by that subject and the original kept in `originaltype`, trace headers as extensions. Resolves only after
 * JetStream acknowledged the write.
 */
export async function storeEvent(deps: PublishDeps, event: CloudEvent<unknown>, opts: StoreOptions): Promise<PublishResult> {
  const subject = publishSubject(event.source, event.type);
  const span = deps.tracing?.startPublish(event, event.type, subject, opts.headers ?? {}, opts.via);
  try {
    const r = await store(deps, event, subject, opts, span);
    span?.end();
    return r;
  } catch (err) {
    span?.end(err);
    throw err;
  }
}

async function store(deps: PublishDeps, event: CloudEvent<unknown>, subject: string, opts: StoreOptions, span: PublishSpan | undefined): Promise<PublishResult> {
  const originalType = event.type;
  if (hasEmptySegment(subject)) {
    throw new EventingError(400, `event type cannot have empty segments after cleaning: ${subject} (source "${event.source}", type "${originalType}")`);
  }
  const backend = deps.backend();
  if (!backend) throw new EventingError(502, 'no connection to NATS JetStream server (eventing is not started)');
  // The publish span's context replaces the caller's, so deliveries hang under the publish.
  const trace = span?.extensions ?? traceExtensionsFromHeaders(opts.headers ?? {});
  // The event was validated when it was parsed; what is added here (the subject as type, the original type and
  // the trace context as extensions with fixed, valid names) cannot make it invalid, so it is not validated again
  // (a second CloudEvent construction was a tenth of the publisher's cost).
  const stored: Record<string, unknown> = { ...event.toJSON(), ...trace, type: subject, [ORIGINAL_TYPE_EXTENSION]: originalType };
  const payload = Buffer.from(JSON.stringify(stored));
  await backend.publish(subject, payload, {
    'content-type': event.datacontenttype ?? 'application/json',
    'ce-specversion': event.specversion,
    'ce-type': subject,
    'ce-source': event.source,
    'ce-id': event.id,
  });
  const extensions = extensionsOf(stored);
  delete extensions[ORIGINAL_TYPE_EXTENSION];
  const { data, truncated } = truncateData(event.data);
  const now = new Date().toISOString();
  deps.inspector.recordEvent({
    id: event.id,
    type: originalType,
    source: event.source,
    subject,
    time: event.time ?? now,
    publishedAt: now,
    ...(event.datacontenttype ? { datacontenttype: event.datacontenttype } : {}),
    ...(data !== undefined ? { data } : {}),
    ...(truncated ? { dataTruncated: true } : {}),
    extensions,
    headers: cleanHeaders(opts.headers ?? {}),
    ...(traceIdOf(extensions) ? { traceId: traceIdOf(extensions)! } : {}),
    via: opts.via,
    ...(opts.replayOf ? { replayOf: opts.replayOf } : {}),
    subscriptions: deps.matching(subject),
  });
  return { id: event.id, subject };
}

/** The inspector's record of an event it did not see published (see EventRecord.via), from the stored event. */
export function recoveredEventRecord(stored: Record<string, unknown> & { id: string; type: string; source: string }, subject: string, storedAtMs: number): EventRecord {
  const publishedAt = new Date(storedAtMs).toISOString();
  const extensions = extensionsOf(stored);
  delete extensions[ORIGINAL_TYPE_EXTENSION];
  const { data, truncated } = truncateData(typeof stored.data_base64 === 'string' ? Buffer.from(stored.data_base64, 'base64') : stored.data);
  return {
    id: stored.id,
    type: stored.type,
    source: stored.source,
    subject,
    time: typeof stored.time === 'string' ? stored.time : publishedAt,
    publishedAt,
    ...(typeof stored.datacontenttype === 'string' ? { datacontenttype: stored.datacontenttype } : {}),
    ...(data !== undefined ? { data } : {}),
    ...(truncated ? { dataTruncated: true } : {}),
    extensions,
    headers: {},
    ...(traceIdOf(extensions) ? { traceId: traceIdOf(extensions)! } : {}),
    via: 'recovered',
    subscriptions: [],
  };
}

export function newEventId(): string {
  return randomUUID();
}
