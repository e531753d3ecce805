/** The eventing module's types: its wire types (core/api) and its API, the runtime's events capability. */
import { ApiError, reasonForCode } from '../../model/index.js';
import type { EventsCapability } from '../../runtime.js';
export type {
  AttemptOutcome,
  AttemptRecord,
  DeliverySummary,
  EventOutcome,
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
  SubscriptionRef,
} from '../../api/index.js';

/** The eventing module's programmatic API: the events capability of the embedded runtime. */
export type EventingApi = EventsCapability;

/** Errors of the eventing API, carrying the HTTP status the proxy would answer (and the matching Status reason). */
export class EventingError extends ApiError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(status, reasonForCode(status), message);
    this.name = 'EventingError';
  }
}
