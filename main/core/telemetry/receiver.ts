// OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics in protobuf or JSON, optionally gzip-compressed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeRequest, encodeResponse, encodeStatus, LOGS, METRICS, TRACES } from './proto.js';
import type { IngestResult } from './otlp-types.js';
import { OtlpDecodeError } from './otlp-values.js';
import type { Telemetry } from './telemetry.js';
import { createListenerGuard } from '../listener-guard/index.js';
import { findUserJsonProblem, MAX_JSON_DEPTH } from '../model/index.js';

export interface OtlpReceiverOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  telemetry: Telemetry;
  /** Largest accepted body, compressed and decompressed. Default 32 MiB. */
  maxBodyBytes?: number;
  /**
   * Web origins whose pages may export telemetry from the browser (the profile's `telemetry.browserOrigins`, like
   * an OpenTelemetry Collector's `cors.allowed_origins`); loopback origins are always accepted.
   */
  browserOrigins?: readonly string[];
}

export interface OtlpReceiver {
  port: number;
  /** e.g. http://127.0.0.1:4318 — exporters append /v1/traces etc. */
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Encoding = 'protobuf' | 'json';

function encodingOf(req: IncomingMessage): Encoding {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new HttpError(415, `unsupported Content-Type "${type}": OTLP/HTTP takes application/x-protobuf or application/json`);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes; send smaller batches`);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (enc === 'identity' || enc === '') return body;
  if (enc !== 'gzip') throw new HttpError(415, `unsupported Content-Encoding "${enc}": use gzip or none`);
  try {
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (err) {
    throw new HttpError(400, `gzip body could not be decompressed: ${(err as Error).message}`);
  }
}

function parseJson(body: Buffer, key: string): object {
  let obj: unknown;
  try {
    obj = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new OtlpDecodeError(`body must be a JSON object with "${key}"`);
  const problem = findUserJsonProblem(obj);
  if (problem) throw new OtlpDecodeError(problem.problem === 'too-deep' ? `body is nested more than ${MAX_JSON_DEPTH} levels deep (at ${problem.path})` : `body has the key "__proto__" at ${problem.path}, which is not allowed`);
  return obj;
}

const ROUTES = {
  '/v1/traces': { signal: TRACES, key: 'resourceSpans', rejected: 'rejectedSpans', ingest: (t: Telemetry, r: object) => t.ingestSpans(r) },
  '/v1/logs': { signal: LOGS, key: 'resourceLogs', rejected: 'rejectedLogRecords', ingest: (t: Telemetry, r: object) => t.ingestLogs(r) },
  '/v1/metrics': { signal: METRICS, key: 'resourceMetrics', rejected: 'rejectedDataPoints', ingest: (t: Telemetry, r: object) => t.ingestMetrics(r) },
} as const;

function partialSuccess(result: IngestResult, rejectedKey: string): object {
  if (result.rejected === 0 && !result.errorMessage) return {};
  return { partialSuccess: { [rejectedKey]: result.rejected, errorMessage: result.errorMessage ?? '' } };
}

function send(res: ServerResponse, status: number, encoding: Encoding, body: Uint8Array | object): void {
  const payload = body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json', 'Content-Length': payload.length });
  res.end(payload);
}

async function handle(req: IncomingMessage, res: ServerResponse, telemetry: Telemetry, limit: number): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const route = ROUTES[path as keyof typeof ROUTES];
  let encoding: Encoding = (req.headers['content-type'] ?? '').includes('protobuf') ? 'protobuf' : 'json';
  try {
    if (!route) throw new HttpError(404, `no OTLP endpoint at ${path}: use /v1/traces, /v1/logs or /v1/metrics`);
    if (req.method !== 'POST') throw new HttpError(405, `${req.method} not allowed: OTLP/HTTP exports are POST`);
    encoding = encodingOf(req);
    const body = await readBody(req, limit);
    const decoded = encoding === 'protobuf' ? decodeRequest<object>(route.signal as never, body) : parseJson(body, route.key);
    const result = route.ingest(telemetry, decoded);
    const answer = partialSuccess(result, route.rejected);
    send(res, 200, encoding, encoding === 'protobuf' ? encodeResponse(route.signal as never, answer) : answer);
  } catch (err) {
    // A TypeError while walking a decoded request means a field had the wrong shape (e.g. "spans": 5 in JSON).
    const status = err instanceof HttpError ? err.status : err instanceof OtlpDecodeError || err instanceof TypeError ? 400 : 500;
    const message = err instanceof TypeError ? `malformed OTLP request: ${err.message}` : err instanceof Error ? err.message : String(err);
    // gRPC codes in google.rpc.Status: 3 INVALID_ARGUMENT, 13 INTERNAL.
    const code = status >= 500 ? 13 : 3;
    if (!res.headersSent) send(res, status, encoding, encoding === 'protobuf' ? encodeStatus(code, message) : { code, message });
    req.resume();
  }
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The OTLP/HTTP request handling (paths, methods, content types, bounded body, decode, ingest) without a
 * listener: the receiver wraps it in its guard; the kind runtime's telemetry bridge adds its token check, so
 * cluster telemetry goes into the stores exactly like the embedded runtime's.
 */
export function otlpRequestHandler(telemetry: Telemetry, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => void handle(req, res, telemetry, maxBodyBytes);
}

/** Starts the receiver on loopback (default 127.0.0.1, free port). */
export async function createOtlpReceiver(opts: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const host = opts.host ?? '127.0.0.1';
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const guard = createListenerGuard({
    listener: 'OTLP receiver',
    clusterLocalHosts: true,
    // Kyma's in-cluster endpoint names without the .svc suffix, which functions reach through the mesh.
    hosts: ['telemetry-otlp-traces.kyma-system', 'telemetry-otlp-logs.kyma-system', 'telemetry-otlp-metrics.kyma-system'],
    allowOrigins: opts.browserOrigins ?? [],
    cors: { methods: ['POST', 'OPTIONS'] },
  });
  const server = createServer(guard.wrap(otlpRequestHandler(opts.telemetry, limit)));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void =>
      reject(new Error(`OTLP receiver could not listen on ${host}:${opts.port ?? 0}: ${err.code === 'EADDRINUSE' ? 'port in use — pick another port or stop the process holding it' : err.message}`));
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
