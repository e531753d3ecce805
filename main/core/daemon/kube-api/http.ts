// The Kubernetes API's own request helpers; answers and bodies go through the daemon's HTTP toolkit.
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../../model/index.js';

export { MAX_BODY_BYTES, readBody, sendJson, sendStatus } from '../http/toolkit.js';

export function notFoundPath(path: string): ApiError {
  // The apiserver's wording for a path that names no resource; kubectl shows it verbatim.
  return new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
}

export function methodNotAllowed(method: string, path: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method} ${path})`);
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
    if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (err) {
    const what = type.includes('yaml') ? 'YAML' : 'JSON';
    throw new ApiError(400, 'BadRequest', `the request body is not valid ${what}: ${(err as Error).message}`);
  }
}
