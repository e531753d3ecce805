import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, checkUserJson, type KubeStatus } from '../../model/index.js';

/** The apiserver's default request body limit (3 MiB); larger bodies are refused with 413. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: KubeStatus): void {
  sendJson(res, status.code, status);
}

export function notFoundPath(path: string): ApiError {
  // The apiserver's wording for a path that names no resource; kubectl shows it verbatim.
  return new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
}

export function methodNotAllowed(method: string, path: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method} ${path})`);
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${limit} bytes; split the manifest or move large data out of it`);
}

/** The media type without parameters, lower case (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a JSON (or, for hand-made requests, YAML) body. Empty bodies are an error: every caller needs one. */
export function parseBody(buf: Buffer, contentType: string | undefined): unknown {
  const text = buf.toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'BadRequest', 'the request body is empty; send a JSON object');
  const type = mediaType(contentType);
  try {
    const value: unknown = type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml' ? parseYaml(text) : JSON.parse(text);
    return checkUserJson(value);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const what = type.includes('yaml') ? 'YAML' : 'JSON';
    throw new ApiError(400, 'BadRequest', `the request body is not valid ${what}: ${(err as Error).message}`);
  }
}
