import { withoutStacks } from '../../function-runtime/index.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP } from 'cloudevents';
import type { CloudEvent } from 'cloudevents';
import { backendError, badPayload, bodyTooLarge, legacyToCloudEvent, validateLegacy, type LegacyError } from './legacy.js';
import { invalidEvent } from './publisher.js';
import { EventingError, type LegacyEventBody, type PublishResult } from './types.js';
import type { HeaderBag } from './trace-headers.js';
import { createListenerGuard } from '../../listener-guard/index.js';
import { findUserJsonProblem, MAX_JSON_DEPTH } from '../../model/index.js';

/** The publisher proxy's request size limit (eventing-publisher-proxy MaxRequestSize default). */
export const MAX_REQUEST_BYTES = 65_536;

export interface ProxyHandlers {
  ready(): boolean;
  publish(event: CloudEvent<unknown>, headers: HeaderBag, via: 'publish' | 'legacy'): Promise<PublishResult>;
  /** `{name, version}` of the event types Subscriptions with this source subscribe to. */
  subscribed(app: string): Array<{ name: string; version: string }>;
  /** The event source for legacy events of `app`: a registered Application's type label or clean name, else `app`. */
  sourceFor?(app: string): string;
}

class TooLarge extends Error {}

const SPEC_VERSIONS = new Set(['1.0', '0.3']);

/**
 * Checks what the JS SDK would silently default (a missing id gets a UUID, an unknown specversion is accepted) but
 * the Go SDK behind the real proxy rejects. Returns the problem or undefined.
 */
function missingRequired(req: IncomingMessage, body: Buffer): string | undefined {
  const ct = String(req.headers['content-type'] ?? '').toLowerCase();
  let attrs: Record<string, unknown>;
  if (ct.startsWith('application/cloudevents+json')) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'structured CloudEvent must be a JSON object';
      const problem = jsonProblem(parsed);
      if (problem) return problem;
      attrs = parsed as Record<string, unknown>;
    } catch (err) {
      return `structured CloudEvent is not valid JSON: ${(err as Error).message}`;
    }
  } else {
    attrs = { specversion: req.headers['ce-specversion'], id: req.headers['ce-id'], source: req.headers['ce-source'], type: req.headers['ce-type'] };
    if (attrs['specversion'] === undefined) return 'not a CloudEvent: no ce-specversion header and content-type is not application/cloudevents+json';
  }
  if (!SPEC_VERSIONS.has(String(attrs['specversion']))) return `specversion: unsupported value ${JSON.stringify(attrs['specversion'])} (use "1.0")`;
  for (const k of ['id', 'source', 'type']) {
    if (typeof attrs[k] !== 'string' || attrs[k] === '') return `${k}: REQUIRED but MISSING`;
  }
  return undefined;
}

function jsonProblem(value: unknown): string | undefined {
  const p = findUserJsonProblem(value);
  if (!p) return undefined;
  return p.problem === 'too-deep' ? `the body is nested more than ${MAX_JSON_DEPTH} levels deep (at ${p.path})` : `the key "__proto__" (at ${p.path}) is not allowed`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_REQUEST_BYTES) {
      req.resume();
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function text(res: ServerResponse, status: number, body = ''): void {
  res.writeHead(status, body ? { 'content-type': 'text/plain; charset=utf-8' } : {});
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

const legacyError = (res: ServerResponse, e: LegacyError): void => json(res, e.status, e);

async function handlePublish(h: ProxyHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof TooLarge) return text(res, 413, `request body too large: the limit is ${MAX_REQUEST_BYTES} bytes`);
    throw err;
  }
  const missing = missingRequired(req, body);
  if (missing) return text(res, 400, `invalid CloudEvent: ${missing}`);
  let event: CloudEvent<unknown>;
  try {
    const parsed = withoutStacks(() => HTTP.toEvent({ headers: req.headers, body: body.length ? body.toString('utf8') : undefined }));
    if (Array.isArray(parsed)) return text(res, 400, 'batched CloudEvents are not supported; send one event per request');
    event = parsed as CloudEvent<unknown>;
    withoutStacks(() => event.validate());
    const unsafe = jsonProblem(event.data);
    if (unsafe) return text(res, 400, `invalid CloudEvent: data: ${unsafe}`);
  } catch (err) {
    return text(res, 400, invalidEvent(err).message);
  }
  try {
    await h.publish(event, req.headers, 'publish');
    text(res, 204);
  } catch (err) {
    const e = err instanceof EventingError ? err : new EventingError(500, String(err));
    text(res, e.status, e.message);
  }
}

/**
 * The legacy endpoint takes JSON only. A browser sends text/plain, form and multipart bodies cross-origin without a
 * CORS preflight, so accepting them would let any web page publish events.
 */
function isJsonContentType(req: IncomingMessage): boolean {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

async function handleLegacy(h: ProxyHandlers, app: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isJsonContentType(req)) {
    req.resume();
    const type = String(req.headers['content-type'] ?? '') || 'none';
    return legacyError(res, { status: 415, type: 'unsupported_media_type', message: `Content-Type ${type} is not accepted: send the legacy event as application/json`, moreInfo: '', details: null });
  }
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (err) {
    if (err instanceof TooLarge) return legacyError(res, bodyTooLarge('http: request body too large'));
    throw err;
  }
  if (raw.length === 0) return legacyError(res, badPayload('Something went very wrong. Please try again.'));
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return legacyError(res, badPayload((err as Error).message));
  }
  const unsafe = jsonProblem(body);
  if (unsafe) return legacyError(res, badPayload(unsafe));
  const problem = validateLegacy(body);
  if (problem) return legacyError(res, problem);
  let event: CloudEvent<unknown>;
  try {
    event = legacyToCloudEvent(h.sourceFor?.(app) ?? app, body as LegacyEventBody);
  } catch (err) {
    return legacyError(res, badPayload((err as Error).message));
  }
  try {
    const r = await h.publish(event, req.headers, 'legacy');
    json(res, 200, { 'event-id': r.id, status: '', reason: '' });
  } catch (err) {
    const e = err instanceof EventingError ? err : new EventingError(500, String(err));
    legacyError(res, backendError(e.status, e.message));
  }
}

async function route(h: ProxyHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let path: string;
  try {
    path = new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return text(res, 400, `the request target ${JSON.stringify(req.url)} is not a valid URL path`);
  }
  const method = req.method ?? 'GET';
  if (path === '/healthz') return text(res, 200, 'OK');
  if (path === '/readyz') return h.ready() ? text(res, 200, 'OK') : text(res, 503, 'not connected to NATS JetStream');
  if (path === '/publish' && method === 'POST') return handlePublish(h, req, res);
  const m = /^\/([^/]+)\/(v1\/events\/subscribed|v1\/events|v2\/events|events)\/?$/.exec(path);
  if (m) {
    let app: string;
    try {
      app = decodeURIComponent(m[1]!);
    } catch {
      return text(res, 400, `the application name "${m[1]}" in the path has a malformed percent-escape; encode "%" as %25`);
    }
    if (m[2] === 'v1/events/subscribed' && method === 'GET') return json(res, 200, { eventsInfo: h.subscribed(h.sourceFor?.(app) ?? app) });
    if (m[2] === 'v1/events' && method === 'POST') return handleLegacy(h, app, req, res);
    if ((m[2] === 'v2/events' || m[2] === 'events') && method === 'POST') return handlePublish(h, req, res);
    return text(res, 405, `method ${method} not allowed on ${path}`);
  }
  if (path === '/publish') return text(res, 405, `method ${method} not allowed on /publish; use POST`);
  text(res, 404, `no route for ${method} ${path}`);
}

/** Starts the publisher proxy on 127.0.0.1:port (0 = free port). */
export async function startProxyServer(h: ProxyHandlers, port: number): Promise<{ server: Server; port: number }> {
  // Workers reach the proxy on 127.0.0.1 or under its in-cluster name through the mesh; browsers never need it.
  const guard = createListenerGuard({ listener: 'publisher proxy', clusterLocalHosts: true, hosts: ['eventing-publisher-proxy.kyma-system'] });
  const server = createServer(
    guard.wrap((req, res) => {
      route(h, req, res).catch((err: unknown) => {
        if (!res.headersSent) text(res, 500, `publisher proxy error: ${String(err)}`);
        else res.end();
      });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `Publisher proxy port ${port} is in use; set ports.publisher to 0 or a free port in the profile` : String(err))),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
