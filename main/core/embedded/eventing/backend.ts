import { createTurnBatcher } from './turn-batcher.js';
import {
  connect,
  headers as natsHeaders,
  DiscardPolicy,
  NatsError,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from 'nats';
import type { Logger } from '../../model/index.js';
import { STREAM_NAME, SUBJECT_PREFIX } from './naming.js';
import { EventingError } from './types.js';

/** JetStream's "store failed" API error code (e.g. max bytes reached with discard new). */
const JS_STORE_FAILED = 10077;
/** How long a publish waits for the stream's ack before answering 504. */
const PUBLISH_TIMEOUT_MS = 5_000;

export interface Backend {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  connected(): boolean;
  onReconnect(listener: () => void): () => void;
  /** Stores `payload` on `subject`; resolves only after JetStream acknowledged it; throws EventingError 502/504/507. */
  publish(subject: string, payload: Uint8Array, hdrs: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export async function connectBackend(natsUrl: string, log: Logger): Promise<Backend> {
  const nc = await connect({
    servers: natsUrl,
    name: 'kyma-local-eventing',
    maxReconnectAttempts: -1,
    // Back within well under a second when the connection drops (nats-server closes it on a protocol error).
    reconnectTimeWait: 100,
    reconnectJitter: 50,
    waitOnFirstConnect: true,
    timeout: 5_000,
    // Capturing a stack per request (publish acks, pulls) costs more than the publish itself at event rates.
    noAsyncTraces: true,
  }).catch((err: unknown) => {
    throw new Error(`Eventing could not connect to nats-server at ${natsUrl}: ${String(err)}; is nats running?`);
  });
  let isConnected = true;
  const reconnectListeners = new Set<() => void>();
  // Publishes waiting for their ack when the connection drops: their ack will never come, so they fail at once
  // (502, the client may retry) instead of waiting out the 5 s ack timeout.
  const inFlight = new Set<(err: EventingError) => void>();
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        isConnected = false;
        const lost = new EventingError(502, 'the connection to NATS JetStream dropped before the event was acknowledged; publish it again');
        for (const fail of inFlight) fail(lost);
        inFlight.clear();
        log.warn('Lost connection to nats-server; publishing answers 502 until it is back', { url: natsUrl });
      } else if (s.type === 'reconnect') {
        isConnected = true;
        log.info('Reconnected to nats-server', { url: natsUrl });
        for (const l of reconnectListeners) l();
      }
    }
  })();
  const js = nc.jetstream();
  const batch = createTurnBatcher();
  const jsm = await nc.jetstreamManager({ timeout: 5_000 });
  return {
    nc,
    js,
    jsm,
    connected: () => isConnected && !nc.isClosed(),
    onReconnect(l) {
      reconnectListeners.add(l);
      return () => reconnectListeners.delete(l);
    },
    async publish(subject, payload, hdrs) {
      if (!isConnected || nc.isClosed()) throw new EventingError(502, 'no connection to NATS JetStream server');
      const h = natsHeaders();
      for (const [k, v] of Object.entries(hdrs)) h.set(k, v);
      let fail: ((err: EventingError) => void) | undefined;
      const dropped = new Promise<never>((_, reject) => {
        fail = reject;
      });
      // Marked handled now: the drop can come while this publish still waits for its batch turn.
      dropped.catch(() => undefined);
      inFlight.add(fail!);
      try {
        await new Promise<void>((resolve) => batch(resolve));
        await Promise.race([js.publish(subject, payload, { headers: h, timeout: PUBLISH_TIMEOUT_MS }), dropped]);
      } catch (err) {
        throw err instanceof EventingError ? err : toPublishError(err);
      } finally {
        inFlight.delete(fail!);
      }
    },
    async close() {
      reconnectListeners.clear();
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

/** Maps a nats.js publish failure to the status the upstream publisher proxy answers. */
export function toPublishError(err: unknown): EventingError {
  if (err instanceof NatsError) {
    const api = err.jsError();
    if (api?.err_code === JS_STORE_FAILED || /no space left|maximum (bytes|messages) exceeded/i.test(api?.description ?? err.message)) {
      return new EventingError(507, `insufficient resources on target stream: ${api?.description ?? err.message}`);
    }
    if (err.code === '503' || err.code === 'TIMEOUT') return new EventingError(504, 'cannot send to stream: no reply from JetStream');
    if (err.code === 'DISCONNECT' || err.code === 'CONNECTION_CLOSED' || err.code === 'CONNECTION_REFUSED') {
      return new EventingError(502, 'no connection to NATS JetStream server');
    }
    if (api) return new EventingError(api.code >= 400 ? api.code : 500, api.description);
  }
  return new EventingError(500, `failed to store the event: ${err instanceof Error ? err.message : String(err)}`);
}

/** Creates the `sap` stream or brings an existing one to the wanted configuration. */
export async function ensureStream(jsm: JetStreamManager, maxBytes: number): Promise<void> {
  const want: Partial<StreamConfig> = {
    name: STREAM_NAME,
    subjects: [`${SUBJECT_PREFIX}.>`],
    retention: RetentionPolicy.Interest,
    discard: DiscardPolicy.New,
    storage: StorageType.File,
    max_bytes: maxBytes > 0 ? maxBytes : -1,
  };
  try {
    const info = await jsm.streams.info(STREAM_NAME);
    const c = info.config;
    if (c.max_bytes !== want.max_bytes || c.discard !== want.discard || c.subjects.join() !== want.subjects!.join()) {
      await jsm.streams.update(STREAM_NAME, { ...c, ...want });
    }
  } catch (err) {
    if (err instanceof NatsError && err.jsError()?.err_code === 10059) {
      await jsm.streams.add(want);
      return;
    }
    throw new Error(`Failed to create or update JetStream stream ${STREAM_NAME}: ${String(err)}`);
  }
}
