// APIRule corsPolicy at the gateway: preflights are answered here, answers to allowed origins get the CORS headers.
import type http from 'node:http';
import { isRecord } from '../../model/index.js';

export interface CorsPolicy {
  allowOrigins: Array<{ exact?: string; prefix?: string; regex?: RegExp }>;
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAge?: number;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function parseCors(raw: unknown): CorsPolicy | undefined {
  if (!isRecord(raw)) return undefined;
  const allowOrigins = (Array.isArray(raw.allowOrigins) ? raw.allowOrigins : []).flatMap((o: unknown): CorsPolicy['allowOrigins'] => {
    if (!isRecord(o)) return [];
    if (typeof o.exact === 'string') return [{ exact: o.exact }];
    if (typeof o.prefix === 'string') return [{ prefix: o.prefix }];
    if (typeof o.regex === 'string') {
      try {
        return [{ regex: new RegExp(`^(?:${o.regex})$`) }];
      } catch {
        return [];
      }
    }
    return [];
  });
  return {
    allowOrigins,
    allowMethods: strings(raw.allowMethods),
    allowHeaders: strings(raw.allowHeaders),
    exposeHeaders: strings(raw.exposeHeaders),
    allowCredentials: raw.allowCredentials === true,
    ...(typeof raw.maxAge === 'number' ? { maxAge: raw.maxAge } : {}),
  };
}

export function originAllowed(policy: CorsPolicy | undefined, origin: string): boolean {
  if (!policy) return false;
  return policy.allowOrigins.some((o) => (o.exact !== undefined ? o.exact === origin || o.exact === '*' : o.prefix !== undefined ? origin.startsWith(o.prefix) : o.regex ? o.regex.test(origin) : false));
}

/** Origin of the request's own host (a page served by the same APIRule host is never cross-origin). */
export function sameOrigin(origin: string, hostHeader: string): boolean {
  try {
    return new URL(origin).host === hostHeader.toLowerCase();
  } catch {
    return false;
  }
}

export function isPreflight(req: http.IncomingMessage): boolean {
  return req.method === 'OPTIONS' && typeof req.headers.origin === 'string' && typeof req.headers['access-control-request-method'] === 'string';
}

/** Answers a preflight for an allowed origin (204 with the policy's headers); the caller refuses the others. */
export function answerPreflight(res: http.ServerResponse, policy: CorsPolicy, origin: string, req: http.IncomingMessage): void {
  const asked = String(req.headers['access-control-request-method']).toUpperCase();
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (policy.allowMethods.length > 0) headers['access-control-allow-methods'] = policy.allowMethods.join(',');
  else headers['access-control-allow-methods'] = asked;
  if (policy.allowHeaders.length > 0) headers['access-control-allow-headers'] = policy.allowHeaders.join(',');
  if (policy.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  if (policy.maxAge !== undefined) headers['access-control-max-age'] = String(policy.maxAge);
  res.writeHead(204, headers);
  res.end();
}

/** CORS headers on the actual answer to an allowed origin. */
export function corsResponseHeaders(policy: CorsPolicy, origin: string): Record<string, string> {
  const h: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (policy.allowCredentials) h['access-control-allow-credentials'] = 'true';
  if (policy.exposeHeaders.length > 0) h['access-control-expose-headers'] = policy.exposeHeaders.join(',');
  return h;
}

export function preflightMethodAllowed(policy: CorsPolicy, req: http.IncomingMessage): boolean {
  const asked = String(req.headers['access-control-request-method']).toUpperCase();
  return policy.allowMethods.length === 0 || policy.allowMethods.includes(asked);
}
