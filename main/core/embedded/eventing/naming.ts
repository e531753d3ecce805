import { createHash } from 'node:crypto';

/** JetStream stream and subject prefix, as eventing-manager configures them for Kyma (`sap`, `kyma.>`). */
export const STREAM_NAME = 'sap';
export const SUBJECT_PREFIX = 'kyma';

// eventing-manager:pkg/backend/cleaner/jetstream.go
const INVALID_SOURCE_CHARS = /[\s.>*/\\]/g;
const INVALID_TYPE_CHARS = /[\s>*/\\]/g;

export function cleanSource(source: string): string {
  return source.replace(INVALID_SOURCE_CHARS, '');
}

export function cleanType(type: string): string {
  return type.replace(INVALID_TYPE_CHARS, '');
}

/** The subject a published event lands on: `kyma.<cleanSource>.<cleanType>` (publisher proxy generic builder). */
export function publishSubject(source: string, type: string): string {
  return `${SUBJECT_PREFIX}.${cleanSource(source)}.${cleanType(type)}`;
}

/** True when a subject has an empty dot-separated segment, which the publisher proxy rejects with 400. */
export function hasEmptySegment(subject: string): boolean {
  return subject.split('.').some((s) => s.length === 0);
}

export type TypeMatching = 'standard' | 'exact';

/**
 * The filter subject of a Subscription type (eventing-manager GetJetStreamSubject): standard mode prefixes the
 * cleaned source, exact mode uses the type verbatim.
 */
export function subscriptionSubject(source: string, type: string, matching: TypeMatching): string {
  if (matching === 'exact') return `${SUBJECT_PREFIX}.${type}`;
  return `${SUBJECT_PREFIX}.${cleanSource(source)}.${cleanType(type)}`;
}

/**
 * Durable consumer name. Upstream (eventing-manager computeConsumerName) hashes `<ns>/<name>/<subject>` with MD5
 * and hex-encodes it (32 chars) — not SHA-256 as our brief assumed; we follow upstream so names match a cluster's.
 */
export function consumerName(namespace: string, name: string, subject: string): string {
  return createHash('md5').update(`${namespace}/${name}/${subject}`).digest('hex');
}

/** NATS subject matching with `*` (one token) and `>` (one or more trailing tokens). */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}
