// The one HTTP toolkit of the daemon: JSON answers, Status errors, bounded bodies and NDJSON streams, for the
// daemon's own routes and the Kubernetes API alike.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ApiError, failureStatus, type KubeStatus } from '../../model/index.js';

/** The apiserver's default request body limit (3 MiB); larger bodies are refused with 413. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: KubeStatus): void {
  sendJson(res, status.code, status);
}

/** Any error as a Status answer: an ApiError keeps its code and reason, anything else is a 500. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) {
    sendStatus(res, err.toStatus());
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendStatus(res, failureStatus(500, 'InternalError', message));
}

/** Reads the body up to `limit` bytes; a larger one is a 413 that says what to do instead (`hint`). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES, hint = 'split the manifest or move large data out of it'): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit, hint);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit, hint);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number, hint: string): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${limit} bytes; ${hint}`);
}

/** A JSON body of the daemon's own API; an empty body reads as {}. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req, MAX_BODY_BYTES, 'send a smaller request');
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Starts a newline-delimited JSON stream (used for progress of up/down and live feeds). */
export function startNdjson(res: ServerResponse): (obj: unknown) => void {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.flushHeaders();
  return (obj) => {
    if (!res.writableEnded) res.write(JSON.stringify(obj) + '\n');
  };
}
