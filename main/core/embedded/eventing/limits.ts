import type { CloudEvent } from 'cloudevents';
import { EventingError } from './types.js';

/**
 * Limits on the attributes that end up in NATS: the subject `kyma.<source>.<type>` travels on nats-server's
 * control line (4 KB by default, and a longer one makes the server drop the whole shared connection), and the
 * id, source, type and datacontenttype travel as NATS headers, where a line break would split the header block. Checked before
 * anything reaches NATS, so one bad request answers 400 and hurts no other.
 */
export const EVENT_LIMITS = {
  /** Characters of `type` (Kyma event types are like `sap.kyma.custom.app.order.created.v1`). */
  type: 512,
  /** Characters of `source` (an application or system name). */
  source: 256,
  /** Characters of the CloudEvent `subject` attribute. */
  subject: 1024,
  /** Characters of `id`. */
  id: 256,
  /** Characters of `datacontenttype` (a media type; it travels as the NATS content-type header). */
  datacontenttype: 256,
} as const;

// C0 controls and DEL: never part of a type, source or id, and CR/LF would break NATS framing.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The first attribute over its limit or with a control character, as a 400 naming the limit; else undefined. */
export function attributeLimitError(event: Pick<CloudEvent<unknown>, 'id' | 'type' | 'source' | 'subject' | 'datacontenttype'>): EventingError | undefined {
  for (const attr of ['type', 'source', 'subject', 'id', 'datacontenttype'] as const) {
    const v = event[attr];
    if (v === undefined || v === null) continue;
    const s = String(v);
    const max = EVENT_LIMITS[attr];
    if (s.length > max) {
      return new EventingError(400, `invalid CloudEvent: ${attr} is ${s.length} characters long; the limit is ${max} (shorten the event ${attr})`);
    }
    const bad = CONTROL.exec(s);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).padStart(4, '0');
      return new EventingError(400, `invalid CloudEvent: ${attr} contains the control character U+${code.toUpperCase()}; only printable characters are allowed`);
    }
  }
  return undefined;
}
