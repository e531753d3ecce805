// JWT rules as Kyma's v2 APIRules enforce them through Istio (a RequestAuthentication plus an AuthorizationPolicy
// requiring a request principal), with Envoy's answers: no token → 403 `RBAC: access denied` (the policy), a token
// that fails verification → 401 with jwt_authn's status text (`Jwt verification fails`, `Jwt is expired`, …), a
// valid token lacking the required scopes/audiences → 403 `RBAC: access denied`.
import type http from 'node:http';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../model/index.js';
import type { JwtAuthentication, JwtAuthorization } from './route-table.js';

export const RBAC_DENIED = 'RBAC: access denied';
export const JWT_MESSAGES = {
  badFormat: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
  expired: 'Jwt is expired',
  notYetValid: 'Jwt not yet valid',
  unknownIssuer: 'Jwt issuer is not configured',
  verificationFails: 'Jwt verification fails',
  noKey: "Jwks doesn't have key to match kid or alg from Jwt",
  fetchFailed: 'Jwks remote fetch is failed',
} as const;

export type JwtResult = { ok: true; payload: JWTPayload; issuer: string } | { ok: false; status: 401 | 403; body: string; reason: string };

/** How the local issuer's tokens are checked without an HTTP round trip. */
export interface LocalIssuer {
  jwksUri: string;
  keySet(): JWTVerifyGetKey;
}

const JWKS_TIMEOUT_MS = 3000;
const CACHE_MAX_ENTRIES = 4096;
const CACHE_MAX_BYTES = 4 * 1024 * 1024;
const CACHE_MAX_AGE_MS = 60_000;

interface Cached {
  payload: JWTPayload;
  issuer: string;
  until: number;
}

function tokensFor(a: JwtAuthentication, req: http.IncomingMessage, url: URL): string[] {
  const out: string[] = [];
  const headers = a.fromHeaders.length > 0 ? a.fromHeaders : [{ name: 'authorization', prefix: 'Bearer ' }];
  for (const h of headers) {
    const v = req.headers[h.name];
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value !== 'string') continue;
    if (h.prefix && !value.toLowerCase().startsWith(h.prefix.toLowerCase())) continue;
    const token = value.slice(h.prefix.length).trim();
    if (token) out.push(token);
  }
  for (const p of a.fromParams.length > 0 ? a.fromParams : a.fromHeaders.length > 0 ? [] : ['access_token']) {
    const v = url.searchParams.get(p);
    if (v) out.push(v);
  }
  return out;
}

function scopesOf(p: JWTPayload): string[] {
  const out: string[] = [];
  for (const k of ['scp', 'scope', 'scopes']) {
    const v = p[k];
    if (typeof v === 'string') out.push(...v.split(' ').filter(Boolean));
    else if (Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === 'string'));
  }
  return out;
}

/** Authorizations are alternatives; within one, every scope and every audience must be present. None = any valid token. */
export function authorized(p: JWTPayload, authorizations: JwtAuthorization[]): boolean {
  if (authorizations.length === 0) return true;
  const scopes = scopesOf(p);
  const aud = typeof p.aud === 'string' ? [p.aud] : Array.isArray(p.aud) ? p.aud : [];
  return authorizations.some((z) => z.requiredScopes.every((s) => scopes.includes(s)) && z.audiences.every((a) => aud.includes(a)));
}

export class JwtVerifier {
  private readonly remote = new Map<string, JWTVerifyGetKey>();
  private readonly cache = new Map<string, Cached>();
  private cacheBytes = 0;

  constructor(
    private readonly log: Logger,
    private readonly local?: LocalIssuer,
  ) {}

  private keySet(jwksUri: string): JWTVerifyGetKey {
    if (this.local && jwksUri === this.local.jwksUri) return this.local.keySet();
    let set = this.remote.get(jwksUri);
    if (!set) {
      // jose caches the JWKS and refetches it when a token names an unknown kid (key rotation), at most once per cooldown.
      set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: JWKS_TIMEOUT_MS, cooldownDuration: 1_000, cacheMaxAge: 10 * 60_000 });
      this.remote.set(jwksUri, set);
    }
    return set;
  }

  /** Forgets cached verifications (after a key rotation, a changed rule). */
  reset(): void {
    this.cache.clear();
    this.cacheBytes = 0;
  }

  async check(req: http.IncomingMessage, url: URL, authentications: JwtAuthentication[], authorizations: JwtAuthorization[], rule: string): Promise<JwtResult> {
    const token = authentications.flatMap((a) => tokensFor(a, req, url))[0];
    if (!token) return { ok: false, status: 403, body: RBAC_DENIED, reason: 'no JWT in the request (Authorization: Bearer <token>)' };
    const verified = await this.verify(token, authentications, rule);
    if (!verified.ok) return verified;
    if (!authorized(verified.payload, authorizations)) {
      const want = authorizations.map((z) => [...z.requiredScopes.map((s) => `scope ${s}`), ...z.audiences.map((a) => `audience ${a}`)].join(' + ') || 'any').join(' or ');
      return { ok: false, status: 403, body: RBAC_DENIED, reason: `the token lacks what the rule requires: ${want}` };
    }
    return verified;
  }

  private async verify(token: string, authentications: JwtAuthentication[], rule: string): Promise<JwtResult> {
    const cacheKey = `${authentications.map((a) => `${a.issuer} ${a.jwksUri}`).join('|')}#${token}`;
    const hit = this.cache.get(cacheKey);
    const now = Date.now();
    if (hit && hit.until > now) return { ok: true, payload: hit.payload, issuer: hit.issuer };
    let iss: unknown;
    try {
      decodeProtectedHeader(token);
      iss = decodeJwt(token).iss;
    } catch {
      return { ok: false, status: 401, body: JWT_MESSAGES.badFormat, reason: 'the token is not a JWT' };
    }
    const auth = authentications.find((a) => a.issuer === iss);
    if (!auth) return { ok: false, status: 401, body: JWT_MESSAGES.unknownIssuer, reason: `issuer ${String(iss)} is not trusted by this rule (trusted: ${authentications.map((a) => a.issuer).join(', ')})` };
    try {
      const { payload } = await jwtVerify(token, this.keySet(auth.jwksUri), { issuer: auth.issuer });
      const until = Math.min(now + CACHE_MAX_AGE_MS, typeof payload.exp === 'number' ? payload.exp * 1000 : now + CACHE_MAX_AGE_MS);
      this.remember(cacheKey, { payload, issuer: auth.issuer, until });
      return { ok: true, payload, issuer: auth.issuer };
    } catch (err) {
      return this.failure(err, auth, rule);
    }
  }

  private failure(err: unknown, auth: JwtAuthentication, rule: string): JwtResult {
    const e = err as Error & { code?: string; claim?: string };
    if (err instanceof errors.JWTExpired) return { ok: false, status: 401, body: JWT_MESSAGES.expired, reason: e.message };
    if (err instanceof errors.JWTClaimValidationFailed) {
      return { ok: false, status: 401, body: e.claim === 'nbf' ? JWT_MESSAGES.notYetValid : JWT_MESSAGES.verificationFails, reason: e.message };
    }
    if (err instanceof errors.JWKSNoMatchingKey) return { ok: false, status: 401, body: JWT_MESSAGES.noKey, reason: `no key in ${auth.jwksUri} matches the token's kid/alg` };
    if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JWKSMultipleMatchingKeys) {
      return { ok: false, status: 401, body: JWT_MESSAGES.verificationFails, reason: e.message };
    }
    // Anything else is the JWKS itself: unreachable, slow, not JSON. Say so loudly — every token of the rule fails.
    const reason = `JWKS ${auth.jwksUri} could not be fetched: ${err instanceof errors.JWKSTimeout ? `no answer within ${JWKS_TIMEOUT_MS} ms` : e.message}`;
    this.log.warn('JWT rejected: JWKS fetch failed', { apirule: rule, jwksUri: auth.jwksUri, reason });
    return { ok: false, status: 401, body: JWT_MESSAGES.fetchFailed, reason };
  }

  private remember(key: string, value: Cached): void {
    const size = key.length * 2 + 512;
    while (this.cache.size >= CACHE_MAX_ENTRIES || (this.cacheBytes + size > CACHE_MAX_BYTES && this.cache.size > 0)) {
      const oldest = this.cache.keys().next().value as string;
      this.cacheBytes -= oldest.length * 2 + 512;
      this.cache.delete(oldest);
    }
    this.cache.set(key, value);
    this.cacheBytes += size;
  }
}
