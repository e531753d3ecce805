// The gateway's token caches: OAuth client-credentials tokens and CSRF tokens (with their cookies), as upstream's
// tokencache and csrftokencache. Keys are hashed so that client secrets never sit in memory as map keys.
import { createHash } from 'node:crypto';
import { readBody, sendUpstream } from './upstream.js';

export class CredentialError extends Error {}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export interface CsrfToken {
  token: string;
  /** `name=value` pairs from the token endpoint's Set-Cookie headers. */
  cookies: string[];
}

/** A token is used until this long before it expires (or until half its life, for short-lived ones). */
const EXPIRY_MARGIN_MS = 30_000;
/** When the token endpoint does not say how long a token lives. */
const DEFAULT_LIFETIME_S = 60;
const MAX_TOKEN_RESPONSE = 64 * 1024;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  authUrl: string;
}

export interface FetchOptions {
  timeoutMs: number;
  skipVerify: boolean;
}

const key = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

export class CredentialCache {
  private readonly oauth = new Map<string, CachedToken>();
  private readonly csrf = new Map<string, CsrfToken>();
  /** Fetches in flight: concurrent calls with an empty cache share one token request. */
  private readonly inflight = new Map<string, Promise<unknown>>();
  /** Token requests made, by token endpoint URL (for tests and the dashboard). */
  readonly tokenRequests = new Map<string, number>();

  private shared<T>(k: string, fetch: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(k) as Promise<T> | undefined;
    if (running) return running;
    const p = fetch().finally(() => this.inflight.delete(k));
    this.inflight.set(k, p);
    return p;
  }

  async oauthToken(c: OAuthClient, o: FetchOptions): Promise<string> {
    const k = key(c.clientId, c.clientSecret, c.authUrl);
    const cached = this.oauth.get(k);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    return this.shared(`oauth:${k}`, () => this.fetchOAuth(k, c, o));
  }

  private async fetchOAuth(k: string, c: OAuthClient, o: FetchOptions): Promise<string> {
    this.tokenRequests.set(c.authUrl, (this.tokenRequests.get(c.authUrl) ?? 0) + 1);
    const body = new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, grant_type: 'client_credentials' }).toString();
    let res;
    try {
      res = await sendUpstream({
        url: new URL(c.authUrl),
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: Buffer.from(body),
        ...o,
      });
    } catch (err) {
      throw new CredentialError(`failed to get an OAuth token from ${c.authUrl}: ${(err as Error).message}`);
    }
    const raw = await readBody(res, MAX_TOKEN_RESPONSE).catch((err: Error) => {
      throw new CredentialError(`failed to read the OAuth token response from ${c.authUrl}: ${err.message}`);
    });
    if (res.statusCode !== 200) throw new CredentialError(`incorrect response code '${res.statusCode}' while getting token from ${c.authUrl}`);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(raw.toString('utf8')) as typeof parsed;
    } catch {
      throw new CredentialError(`the token response from ${c.authUrl} is not JSON`);
    }
    if (typeof parsed.access_token !== 'string' || !parsed.access_token) throw new CredentialError(`the token response from ${c.authUrl} has no access_token`);
    const lifeMs = (typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_LIFETIME_S) * 1000;
    this.oauth.set(k, { token: parsed.access_token, expiresAt: Date.now() + lifeMs - Math.min(EXPIRY_MARGIN_MS, lifeMs / 2) });
    return parsed.access_token;
  }

  invalidateOAuth(c: OAuthClient): void {
    this.oauth.delete(key(c.clientId, c.clientSecret, c.authUrl));
  }

  /** GET the token endpoint with `X-csrf-token: Fetch` (and the call's Authorization); cached per endpoint. */
  async csrfToken(endpoint: string, authorization: string | undefined, o: FetchOptions): Promise<CsrfToken> {
    const cached = this.csrf.get(endpoint);
    if (cached) return cached;
    return this.shared(`csrf:${endpoint}`, () => this.fetchCsrf(endpoint, authorization, o));
  }

  private async fetchCsrf(endpoint: string, authorization: string | undefined, o: FetchOptions): Promise<CsrfToken> {
    this.tokenRequests.set(endpoint, (this.tokenRequests.get(endpoint) ?? 0) + 1);
    let res;
    try {
      res = await sendUpstream({
        url: new URL(endpoint),
        method: 'GET',
        headers: { 'x-csrf-token': 'Fetch', accept: '*/*', 'cache-control': 'no-cache', ...(authorization ? { authorization } : {}) },
        ...o,
      });
    } catch (err) {
      throw new CredentialError(`failed to make a request to '${endpoint}': ${(err as Error).message}`);
    }
    res.resume();
    if (res.statusCode !== 200) throw new CredentialError(`incorrect response code '${res.statusCode}' while getting CSRF token from ${endpoint}`);
    const token = res.headers['x-csrf-token'];
    const cookies = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!.trim()).filter(Boolean);
    const t = { token: Array.isArray(token) ? (token[0] ?? '') : (token ?? ''), cookies };
    this.csrf.set(endpoint, t);
    return t;
  }

  invalidateCsrf(endpoint: string): void {
    this.csrf.delete(endpoint);
  }

  clear(): void {
    this.oauth.clear();
    this.csrf.clear();
  }
}

/** Adds the CSRF cookies to a Cookie header, replacing same-named ones (upstream mergeCookiesWithOverride). */
export function mergeCookies(existing: string | undefined, add: string[]): string {
  const names = new Set(add.map((c) => c.split('=')[0]));
  const kept = (existing ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && !names.has(c.split('=')[0]));
  return [...add, ...kept].join('; ');
}
