// A stand-in publisher proxy for the test kit: it receives what `event.emitCloudEvent` sends over real HTTP
// (so the runtime's own emit code runs unchanged) and keeps the events for the test to assert on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP, type CloudEventV1 } from 'cloudevents';
import { withoutStacks } from '../core/function-runtime/index.js';

/** An event the handler emitted, with its CloudEvent attributes and extensions as sent. */
export interface EmittedEvent {
  type: string;
  source: string;
  id: string;
  specversion: string;
  data?: unknown;
  datacontenttype?: string;
  [attribute: string]: unknown;
}

export interface EventCapture {
  /** The URL to hand to the runtime as PUBLISHER_PROXY_ADDRESS. */
  url: string;
  /** Removes and returns what was emitted since the last call. */
  take(): EmittedEvent[];
  close(): Promise<void>;
}

const MAX_EVENT_BYTES = 10 * 1024 * 1024;

export async function startEventCapture(): Promise<EventCapture> {
  let events: EmittedEvent[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_EVENT_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_EVENT_BYTES) {
        res.writeHead(413).end(`event larger than ${MAX_EVENT_BYTES} bytes`);
        return;
      }
      try {
        const ce: CloudEventV1<unknown> | CloudEventV1<unknown>[] = withoutStacks(() => HTTP.toEvent({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
        for (const e of Array.isArray(ce) ? ce : [ce]) events.push({ ...(e as unknown as EmittedEvent) });
        res.writeHead(204).end();
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`invalid CloudEvent: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/publish`,
    take() {
      const out = events;
      events = [];
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
