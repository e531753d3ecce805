/**
 * Legacy `/<application>/v1/events` publishing, after eventing-publisher-proxy pkg/legacy: request validation in the
 * same order, the same error bodies, and the CloudEvent made from it (type `<event-type>.<version>`, source = app).
 */
import type { CloudEvent } from 'cloudevents';
import { makeEvent, newEventId } from './publisher.js';
import type { LegacyEventBody } from './types.js';

export interface LegacyErrorDetail {
  field: string;
  type: string;
  message: string;
  moreInfo: string;
}

export interface LegacyError {
  status: number;
  type: string;
  message: string;
  moreInfo: string;
  details: LegacyErrorDetail[] | null;
}

export interface LegacyOk {
  'event-id': string;
  status: string;
  reason: string;
}

const EVENT_TYPE_VERSION = /^[a-zA-Z0-9]+$/;
const EVENT_ID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
// Go's time.RFC3339 parse: date, 'T', time, optional fraction, zone (Z or ±hh:mm).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const MESSAGE_BAD_PAYLOAD = 'Something went very wrong. Please try again.';
export const MESSAGE_MISSING_FIELD = 'We need all required fields complete to keep you moving.';
export const MESSAGE_INVALID_FIELD = 'We need all your entries to be correct to keep you moving.';
export const MESSAGE_BODY_TOO_LARGE = 'Request body too large';

export function badPayload(moreInfo: string): LegacyError {
  return { status: 400, type: 'bad_payload_syntax', message: MESSAGE_BAD_PAYLOAD, moreInfo, details: null };
}

export function bodyTooLarge(moreInfo: string): LegacyError {
  return { status: 413, type: 'request_body_too_large', message: MESSAGE_BODY_TOO_LARGE, moreInfo, details: null };
}

function fieldError(field: string, kind: 'missing_field' | 'invalid_field'): LegacyError {
  const message = kind === 'missing_field' ? MESSAGE_MISSING_FIELD : MESSAGE_INVALID_FIELD;
  return {
    status: 400,
    type: 'validation_violation',
    message,
    moreInfo: '',
    details: [{ field, type: kind, message, moreInfo: '' }],
  };
}

/** A backend failure in the legacy shape: only status and message are set upstream. */
export function backendError(status: number, message: string): LegacyError {
  return { status, type: '', message, moreInfo: '', details: null };
}

const isValidDate = (s: string): boolean => RFC3339.test(s) && !Number.isNaN(Date.parse(s));

/** Returns the first problem in upstream's order, or undefined when the request is valid. */
export function validateLegacy(body: unknown): LegacyError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badPayload(MESSAGE_BAD_PAYLOAD);
  const b = body as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
  for (const k of ['event-type', 'event-type-version', 'event-id', 'event-time']) {
    if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string') {
      return badPayload(`json: cannot unmarshal ${typeof b[k]} into Go struct field of type string (${k})`);
    }
  }
  if (!str('event-type')) return fieldError('event-type', 'missing_field');
  const version = str('event-type-version');
  if (!version) return fieldError('event-type-version', 'missing_field');
  if (!EVENT_TYPE_VERSION.test(version)) return fieldError('event-type-version', 'invalid_field');
  const time = str('event-time');
  if (!time) return fieldError('event-time', 'missing_field');
  if (!isValidDate(time)) return fieldError('event-time', 'invalid_field');
  const id = str('event-id');
  if (id && !EVENT_ID.test(id)) return fieldError('event-id', 'invalid_field');
  if (b['data'] === undefined || b['data'] === null || b['data'] === '') return fieldError('data', 'missing_field');
  return undefined;
}

/** The CloudEvent upstream makes from a valid legacy request (TransformPublishRequestToCloudEvent). */
export function legacyToCloudEvent(app: string, body: LegacyEventBody): CloudEvent<unknown> {
  const version = body['event-type-version']!;
  return makeEvent({
    id: body['event-id'] || newEventId(),
    type: `${body['event-type']}.${version}`,
    source: app,
    time: new Date(body['event-time']!).toISOString(),
    datacontenttype: 'application/json',
    data: body.data,
    eventtypeversion: version,
  });
}
