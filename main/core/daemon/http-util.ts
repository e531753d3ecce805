import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, checkUserJson } from '../model/index.js';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) {
    sendJson(res, err.code, err.toStatus());
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendJson(res, 500, new ApiError(500, 'InternalError', message).toStatus());
}

export async function readBody(req: IncomingMessage, limit = 3 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new ApiError(413, 'RequestEntityTooLarge', `request body larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `request body is not valid JSON: ${(err as Error).message}`);
  }
  return checkUserJson(value);
}

/** Starts a newline-delimited JSON stream (used for progress of up/down and live feeds). */
export function startNdjson(res: ServerResponse): (obj: unknown) => void {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.flushHeaders();
  return (obj) => {
    if (!res.writableEnded) res.write(JSON.stringify(obj) + '\n');
  };
}
