// `kyma-local/testing`: run a function handler the way the Kyma Node.js runtime runs it — the same Express app,
// body parsers, `event`/`context` objects, CORS, FUNC_TIMEOUT and error handling as a worker — without a cluster.
// Emitted CloudEvents are captured instead of published.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTTP, CloudEvent } from 'cloudevents';
import { loadUserHandler, serveInProcess, withoutStacks, type RuntimeConfig, type UserFunction } from '../core/function-runtime/index.js';
import { startEventCapture, type EmittedEvent, type EventCapture } from './emitted-events.js';

export type { EmittedEvent } from './emitted-events.js';

/** A handler module (`{ main }`), or the path / file URL of a handler.js (relative paths resolve from the working directory). */
export type HandlerRef = string | URL | { main: UserFunction };

/** A CloudEvent to deliver, as Kyma eventing does: binary mode, `ce-*` headers. `id` defaults to a random one. */
export interface CloudEventInput {
  type: string;
  source: string;
  id?: string;
  specversion?: string;
  data?: unknown;
  datacontenttype?: string;
  [attribute: string]: unknown;
}

export interface InvokeRequest {
  /** Request body: objects are sent as JSON, strings as text/plain, Buffers as application/octet-stream. */
  data?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string> | URLSearchParams;
  /** Default GET without data, POST with data or a cloudEvent. */
  method?: string;
  /** Request path (default `/`). */
  path?: string;
  cloudEvent?: CloudEventInput;
}

export interface FunctionOptions {
  /** `context['function-name']` (default: the handler folder's name). */
  functionName?: string;
  namespace?: string;
  runtime?: string;
  /** FUNC_TIMEOUT in seconds: a handler still running after it is answered with 408 (default: FUNC_TIMEOUT or 180). */
  timeoutSec?: number;
  /** REQ_MB_LIMIT (default: REQ_MB_LIMIT or 1). */
  bodyLimitMb?: number;
}

export interface InvokeResult {
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON when the response says JSON, else its text. */
  body: unknown;
  text: string;
  /** CloudEvents the handler emitted with `event.emitCloudEvent` while serving this request. */
  emitted: EmittedEvent[];
}

/** A handler served by the runtime on a loopback port; call `close()` when done. */
export interface LocalFunction {
  readonly url: string;
  invoke(request?: InvokeRequest): Promise<InvokeResult>;
  close(): Promise<void>;
}

function numberEnv(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback;
}

async function resolveHandler(ref: HandlerRef): Promise<{ fn: UserFunction; dir: string }> {
  if (typeof ref === 'object' && !(ref instanceof URL)) {
    if (typeof ref.main !== 'function') throw new TypeError('kyma-local/testing: the handler module has no main function (module.exports = { main(event, context) {…} })');
    return { fn: ref.main, dir: process.cwd() };
  }
  const file = path.resolve(ref instanceof URL ? fileURLToPath(ref) : ref);
  return { fn: await loadUserHandler(file, path.dirname(file)), dir: path.dirname(file) };
}

/** Loads a handler and serves it; reuse one LocalFunction for many invocations. */
export async function loadFunction(ref: HandlerRef, options: FunctionOptions = {}): Promise<LocalFunction> {
  const { fn, dir } = await resolveHandler(ref);
  const capture = await startEventCapture();
  const config: RuntimeConfig = {
    handlerDir: dir,
    handlerFile: path.join(dir, 'handler.js'),
    port: 0,
    host: '127.0.0.1',
    socketPath: undefined,
    functionName: options.functionName ?? path.basename(dir),
    runtime: options.runtime ?? `nodejs${process.versions.node.split('.')[0]}`,
    namespace: options.namespace ?? 'default',
    timeoutSec: options.timeoutSec ?? numberEnv('FUNC_TIMEOUT', 180),
    bodyLimitMb: options.bodyLimitMb ?? numberEnv('REQ_MB_LIMIT', 1),
    traceCollectorEndpoint: undefined,
    publisherProxyAddress: capture.url,
    jsonLogs: false,
    meshAddress: undefined,
    knownServices: [],
    drainMs: 0,
    debugging: false,
    debugBreak: false,
  };
  const server = await serveInProcess(fn, config).catch(async (err: unknown) => {
    await capture.close();
    throw err;
  });
  return {
    url: server.url,
    invoke: (request = {}) => send(server.url, capture, request),
    close: async () => {
      await server.close();
      await capture.close();
    },
  };
}

/** Loads the handler, sends one request, and stops again. */
export async function invoke(ref: HandlerRef, request: InvokeRequest = {}, options: FunctionOptions = {}): Promise<InvokeResult> {
  const local = await loadFunction(ref, options);
  try {
    return await local.invoke(request);
  } finally {
    await local.close();
  }
}

function requestBody(request: InvokeRequest): { headers: Record<string, string>; body?: string | Buffer } {
  if (request.cloudEvent) {
    const { id, specversion, ...rest } = request.cloudEvent;
    const ce = withoutStacks(() => new CloudEvent({ ...rest, ...(id ? { id } : {}), specversion: specversion === '0.3' ? '0.3' : '1.0' }));
    const msg = withoutStacks(() => HTTP.binary(ce));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(msg.headers)) headers[k] = String(v);
    return { headers, body: typeof msg.body === 'string' || Buffer.isBuffer(msg.body) ? msg.body : JSON.stringify(msg.body) };
  }
  const { data } = request;
  if (data === undefined) return { headers: {} };
  if (Buffer.isBuffer(data)) return { headers: { 'content-type': 'application/octet-stream' }, body: data };
  if (typeof data === 'string') return { headers: { 'content-type': 'text/plain' }, body: data };
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) };
}

async function send(base: string, capture: EventCapture, request: InvokeRequest): Promise<InvokeResult> {
  capture.take();
  const target = new URL(request.path ?? '/', base);
  for (const [k, v] of new URLSearchParams(request.query ?? {})) target.searchParams.append(k, v);
  const { headers, body } = requestBody(request);
  const method = (request.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  const res = await fetch(target, { method, headers: { ...headers, ...(request.headers ?? {}) }, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Keep the text: the handler said JSON but sent something else, which the test may want to see.
    }
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), body: parsed, text, emitted: capture.take() };
}
