import { CloudEvent, HTTP } from 'cloudevents';
import { Agent, request, type Dispatcher } from 'undici';
import type { ServiceRegistry } from '../module.js';
import { parseServiceHost } from '../services/index.js';
import { ORIGINAL_TYPE_EXTENSION } from './publisher.js';
import { traceHeadersFromExtensions } from './trace-headers.js';

export interface DeliveryResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

const isLoopbackOrIp = (h: string): boolean =>
  h === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.startsWith('[') || h.includes(':');

/** Whether a host has one of the in-cluster service shapes (so it must resolve through the registry). */
export function isClusterHost(host: string): boolean {
  const h = host.toLowerCase();
  if (isLoopbackOrIp(h)) return false;
  return /\.svc(\.cluster\.local)?\.?$/.test(h) || (parseServiceHost(h) !== undefined && h.split('.').length === 2);
}

export type SinkCheck = { ok: true; cluster: boolean } | { ok: false; message: string };

/** Checks a sink URL without picking an endpoint: a cluster host must name a registered service. */
export function checkSink(sink: string, services: ServiceRegistry): SinkCheck {
  let url: URL;
  try {
    url = new URL(sink);
  } catch {
    return { ok: false, message: `sink ${JSON.stringify(sink)} is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `sink ${sink} must be http or https` };
  if (!isClusterHost(url.hostname)) return { ok: true, cluster: false };
  const svc = parseServiceHost(url.hostname);
  if (!svc || !services.names().includes(`${svc.name}.${svc.namespace}`)) {
    const what = svc ? `service "${svc.name}" not found in namespace "${svc.namespace}"` : `host ${url.hostname} is not a service name`;
    return {
      ok: false,
      message: `Sink does not correspond to a valid cluster local svc: ${what}; deliveries wait until a Function or Service with that name is running`,
    };
  }
  return { ok: true, cluster: true };
}

/** Where one delivery goes: the URL to request and the connection pool that reaches it. */
interface SinkTarget {
  url: URL;
  dispatcher: Dispatcher;
  /** Set when the endpoint is a worker's Unix socket. */
  socketPath?: string;
}

/**
 * Turns a sink URL into the local target to call (cluster host → a ready endpoint, round-robin). A worker listens
 * on a Unix socket: its requests go through that socket's own keep-alive pool, with the URL's host kept for
 * the request line.
 */
function resolveSink(sink: string, services: ServiceRegistry): SinkTarget {
  const url = new URL(sink);
  if (!isClusterHost(url.hostname)) return { url, dispatcher };
  const ep = services.pick(url.hostname);
  if (ep === undefined) throw new Error(`no service for sink host ${url.hostname}`);
  if (ep === null) throw new Error(`service for sink host ${url.hostname} has no ready endpoints`);
  url.protocol = 'http:';
  if ('socketPath' in ep) {
    url.hostname = 'localhost';
    url.port = '';
    return { url, dispatcher: socketPool(ep.socketPath), socketPath: ep.socketPath };
  }
  url.hostname = ep.host;
  url.port = String(ep.port);
  return { url, dispatcher };
}

/** A stored event ready for delivery, kept as plain JSON: it was validated when it was published. */
export interface PlainEvent {
  id: string;
  type: string;
  source: string;
  [attribute: string]: unknown;
}

/** The event to deliver from the JSON stored in JetStream: original type restored, `originaltype` dropped. */
export function plainDeliverable(storedJson: string): PlainEvent {
  const o = JSON.parse(storedJson) as Record<string, unknown>;
  if (typeof o[ORIGINAL_TYPE_EXTENSION] === 'string') o['type'] = o[ORIGINAL_TYPE_EXTENSION];
  delete o[ORIGINAL_TYPE_EXTENSION];
  if (typeof o.id !== 'string' || typeof o.type !== 'string' || typeof o.source !== 'string') throw new Error('stored event lacks id, type or source');
  return o as PlainEvent;
}

/** The same as a CloudEvent object (replay edits it with cloneWith). */
export function deliverableEvent(storedJson: string): CloudEvent<unknown> {
  return new CloudEvent<unknown>(plainDeliverable(storedJson), false);
}

/**
 * CloudEvents HTTP binary binding, written out for the hot path: every attribute but the data ones becomes a
 * `ce-` header, datacontenttype the Content-Type, data the body. (The SDK's HTTP.binary builds and re-validates a
 * CloudEvent per delivery, which was the dispatcher's largest cost.)
 */
export function binaryRequest(event: PlainEvent | CloudEvent<unknown>): { headers: Record<string, string>; body: string | Buffer | undefined } {
  if (event instanceof CloudEvent) {
    const msg = HTTP.binary(event);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(msg.headers)) if (typeof v === 'string') headers[k] = v;
    const body = msg.body === undefined || msg.body === null ? undefined : Buffer.isBuffer(msg.body) ? msg.body : String(msg.body as string);
    return { headers, body };
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event)) {
    if (k === 'data' || k === 'data_base64' || k === 'datacontenttype' || v === undefined || v === null) continue;
    headers[`ce-${k}`] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  const ct = typeof event.datacontenttype === 'string' ? event.datacontenttype : undefined;
  let body: string | Buffer | undefined;
  if (typeof event.data_base64 === 'string') body = Buffer.from(event.data_base64, 'base64');
  else if (event.data === undefined) body = undefined;
  else if (typeof event.data === 'string') body = event.data;
  else body = JSON.stringify(event.data);
  headers['content-type'] = ct ?? (body !== undefined && typeof event.data !== 'string' ? 'application/json' : 'text/plain');
  return { headers, body };
}

export interface DeliverOptions {
  /** Trace headers to send (the delivery span's); default: those of the event's trace extensions. */
  traceHeaders?: Record<string, string>;
}

/**
 * Deliveries use undici rather than node:http's client: at event rates the client side of each POST was the
 * dispatcher's largest cost, and undici's is about half. One keep-alive pool per sink origin.
 */
const POOL_OPTIONS = { keepAliveTimeout: 4_000, connections: 256 } as const;
const dispatcher = new Agent(POOL_OPTIONS);

/**
 * One keep-alive pool per worker socket (undici binds a socket path per dispatcher). Workers come and go with
 * every save, so a pool is dropped when its socket stops answering, and the oldest when there are too many.
 */
const socketPools = new Map<string, Agent>();
const MAX_SOCKET_POOLS = 256;

function socketPool(socketPath: string): Agent {
  let pool = socketPools.get(socketPath);
  if (!pool) {
    if (socketPools.size >= MAX_SOCKET_POOLS) dropSocketPool(socketPools.keys().next().value!);
    pool = new Agent({ ...POOL_OPTIONS, connect: { socketPath } });
    socketPools.set(socketPath, pool);
  }
  return pool;
}

function dropSocketPool(socketPath: string): void {
  const pool = socketPools.get(socketPath);
  socketPools.delete(socketPath);
  void pool?.close().catch(() => undefined);
}

type PostResult = { status: number; connectFailed: false } | { error: string; connectFailed: boolean };

/** Error codes that mean the request never reached a live sink (so another replica may take it at once). */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'UND_ERR_SOCKET', 'ECONNRESET', 'ENOENT']);

/** One POST over a keep-alive connection; `connectFailed` says the request never reached the sink. */
async function post(
  { url, dispatcher }: SinkTarget,
  hostHeader: string | undefined,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<PostResult> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: hostHeader ? { ...headers, host: hostHeader } : headers,
      body: body ?? null,
      dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(signal ? { signal } : {}),
    });
    await res.body.dump();
    return { status: res.statusCode, connectFailed: false };
  } catch (err) {
    const e = err as Error & { code?: string };
    const code = e.code ?? e.name;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { error: `no answer within ${timeoutMs} ms`, connectFailed: false };
    if (code === 'AbortError' || code === 'UND_ERR_ABORTED') return { error: 'delivery interrupted', connectFailed: false };
    return { error: code ?? e.message, connectFailed: NOT_DELIVERED.has(code ?? '') };
  }
}

/**
 * POSTs the event to the sink in binary mode with trace headers; never throws. A cluster sink goes straight to
 * a ready replica (the registry round-robins); if that replica was just stopped by a revision switch, the one
 * retry goes to another, so a hot reload does not cost a redelivery.
 */
export async function deliver(
  sink: string,
  services: ServiceRegistry,
  event: PlainEvent | CloudEvent<unknown>,
  timeoutMs: number,
  signal?: AbortSignal,
  opts: DeliverOptions = {},
): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  const url = new URL(sink);
  const { headers, body } = binaryRequest(event);
  Object.assign(headers, opts.traceHeaders ?? traceHeadersFromExtensions(event as unknown as Record<string, unknown>));
  const cluster = isClusterHost(url.hostname);
  if (!cluster && url.protocol === 'https:') return deliverHttps(url, headers, body, timeoutMs, signal, elapsed);
  for (let attempt = 0; ; attempt++) {
    let target: SinkTarget;
    try {
      target = cluster ? resolveSink(sink, services) : { url, dispatcher };
    } catch (err) {
      return { ok: false, error: (err as Error).message, latencyMs: elapsed() };
    }
    const r = await post(target, cluster ? url.host : undefined, headers, body, timeoutMs, signal);
    if ('status' in r) {
      const ok = r.status >= 200 && r.status < 300;
      if (cluster) services.reportRequest(url.hostname, elapsed(), r.status, r.status >= 500);
      return { ok, statusCode: r.status, latencyMs: elapsed(), ...(ok ? {} : { error: `sink answered ${r.status}` }) };
    }
    if (r.connectFailed && target.socketPath) dropSocketPool(target.socketPath);
    if (cluster && r.connectFailed && attempt === 0) continue;
    if (cluster) services.reportRequest(url.hostname, elapsed(), 0, true);
    return { ok: false, error: `POST ${target.url} failed: ${r.error}`, latencyMs: elapsed() };
  }
}

async function deliverHttps(
  url: URL,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  elapsed: () => number,
): Promise<DeliveryResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([timeout, ...(signal ? [signal] : [])]) });
    await res.arrayBuffer().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, latencyMs: elapsed(), ...(ok ? {} : { error: `sink answered ${res.status}` }) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === 'TimeoutError' || timeout.aborted ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, error: `POST ${url} failed: ${reason}`, latencyMs: elapsed() };
  }
}
