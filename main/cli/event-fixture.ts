import type { EventRecord } from '../core/api/index.js';

/** Trace-context extensions: a replayed fixture must start its own trace, not join the recorded one. */
const TRACE_EXTENSIONS = new Set(['traceparent', 'tracestate', 'b3', 'b3traceid', 'b3spanid', 'b3sampled', 'b3parentspanid']);

/** A recorded event as the test kit's request: `invoke(handler, fixture)` delivers it as Kyma eventing would. */
export interface EventFixture {
  cloudEvent: Record<string, unknown> & { type: string; source: string; id: string; specversion: string };
}

export function eventFixture(ev: EventRecord): EventFixture {
  if (ev.dataTruncated) {
    throw new Error(
      `event ${ev.id}: the inspector kept only part of its data (${ev.dataBytes ?? '?'} bytes in all), so a fixture would not be the event that was sent — raise spec.retention.eventBytes in the profile, publish it again, and record that one`,
    );
  }
  const extensions = Object.fromEntries(Object.entries(ev.extensions).filter(([k]) => !TRACE_EXTENSIONS.has(k)));
  return {
    cloudEvent: {
      ...extensions,
      type: ev.type,
      source: ev.source,
      id: ev.id,
      specversion: '1.0',
      time: ev.time,
      ...(ev.datacontenttype ? { datacontenttype: ev.datacontenttype } : {}),
      ...(ev.data !== undefined ? { data: ev.data } : {}),
    },
  };
}
