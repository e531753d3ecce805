// The embedded OIDC issuer, the local stand-in for Kyma's Dex: discovery, JWKS and a token endpoint with the
// client_credentials and password grants (RFC 6749 §4.3/§4.4), RS256 tokens with `kid` and a space-separated
// `scope` claim. It is mounted on the gateway listener under `/oidc`.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { createLocalJWKSet, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../model/index.js';
import type { OidcSettings } from './settings.js';
import type { MintedToken, MintRequest } from '../../api/index.js';
import { loadOrCreateKeys, publicJwks, rotateKeys, signingKey, SIGNING_ALG, type KeyRing } from './signing-keys.js';

export const ISSUER_PATH = '/oidc';
const MAX_FORM_BYTES = 64 * 1024;

export interface OidcIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly tokenEndpoint: string;
  /** Serves `/oidc/...`; false when the path is not the issuer's. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean;
  mint(req: MintRequest): Promise<MintedToken>;
  rotate(): Promise<{ kid: string; retired: string[] }>;
  /** The issuer's key set without an HTTP round trip (the gateway verifies local tokens with it). */
  keySet(): JWTVerifyGetKey;
  settings(): OidcSettings;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function json(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra });
  res.end(JSON.stringify(body));
}

function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) {
        reject(new OAuthError(413, 'invalid_request', `the token request is larger than ${MAX_FORM_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

export async function createOidcIssuer(opts: { stateDir: string; issuer: string; settings: OidcSettings; log: Logger }): Promise<OidcIssuer> {
  const { issuer, settings, log } = opts;
  const graceMs = settings.keyGraceSeconds * 1000;
  let ring: KeyRing = await loadOrCreateKeys(opts.stateDir, graceMs);
  let localSet = createLocalJWKSet(publicJwks(ring));
  const jwksUri = `${issuer}/jwks`;
  const tokenEndpoint = `${issuer}/token`;

  const sign = async (sub: string, claims: Record<string, unknown>, scopes: string[], audience: string | undefined, ttl: number): Promise<MintedToken> => {
    const { kid, key } = await signingKey(ring);
    const scope = scopes.join(' ');
    let jwt = new SignJWT({ ...claims, ...(scope ? { scope } : {}) })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(sub)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl);
    if (audience) jwt = jwt.setAudience(audience);
    return { accessToken: await jwt.sign(key), tokenType: 'Bearer', expiresIn: ttl, scope, issuer };
  };

  const allowed = (granted: string[], asked: string[], who: string): void => {
    const missing = granted.length === 0 ? [] : asked.filter((s) => !granted.includes(s));
    if (missing.length > 0) throw new OAuthError(400, 'invalid_scope', `${who} may not ask for scope(s) ${missing.join(', ')} (allowed: ${granted.join(', ')})`);
  };

  const mint = async (r: MintRequest): Promise<MintedToken> => {
    const scopes = r.scopes ?? [];
    const ttl = r.ttlSeconds ?? settings.tokenTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 1) throw new OAuthError(400, 'invalid_request', `ttl must be a positive number of seconds, got ${String(ttl)}`);
    const client = settings.clients[0];
    if (r.user !== undefined) {
      const user = settings.users.find((u) => u.name === r.user);
      if (!user) throw new OAuthError(400, 'invalid_grant', `unknown user "${r.user}" — users of the local issuer: ${settings.users.map((u) => u.name).join(', ') || 'none'} (profile spec.oidc.users)`);
      allowed(user.scopes, scopes, `user ${user.name}`);
      return sign(user.name, { preferred_username: user.name, ...(user.email ? { email: user.email } : {}), ...(client ? { client_id: client.id, azp: client.id } : {}) }, scopes, r.audience ?? client?.audience, ttl);
    }
    if (!client) throw new OAuthError(400, 'invalid_client', 'the local issuer has no client (profile spec.oidc.clients is empty)');
    allowed(client.scopes, scopes, `client ${client.id}`);
    return sign(client.id, { client_id: client.id, azp: client.id }, scopes, r.audience ?? client.audience, ttl);
  };

  const tokenGrant = async (req: http.IncomingMessage): Promise<MintedToken> => {
    const form = await readForm(req);
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
    const client = settings.clients.find((c) => c.id === id);
    if (!client || !sameSecret(client.secret, secret)) throw new OAuthError(401, 'invalid_client', `unknown client "${id}" or wrong secret`);
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const audience = form.get('audience') ?? client.audience;
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') {
      allowed(client.scopes, scopes, `client ${client.id}`);
      return sign(client.id, { client_id: client.id, azp: client.id }, scopes, audience, settings.tokenTtlSeconds);
    }
    if (grant === 'password') {
      const user = settings.users.find((u) => u.name === form.get('username'));
      if (!user || !sameSecret(user.password, form.get('password') ?? '')) throw new OAuthError(400, 'invalid_grant', 'wrong username or password');
      allowed(user.scopes, scopes, `user ${user.name}`);
      return sign(user.name, { preferred_username: user.name, ...(user.email ? { email: user.email } : {}), client_id: client.id, azp: client.id }, scopes, audience, settings.tokenTtlSeconds);
    }
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type must be client_credentials or password, got "${grant ?? ''}"`);
  };

  return {
    issuer,
    jwksUri,
    tokenEndpoint,
    handle(req, res, pathname) {
      if (pathname !== ISSUER_PATH && !pathname.startsWith(`${ISSUER_PATH}/`)) return false;
      const sub = pathname.slice(ISSUER_PATH.length);
      if (req.method === 'GET' && sub === '/.well-known/openid-configuration') {
        json(res, 200, {
          issuer,
          jwks_uri: jwksUri,
          token_endpoint: tokenEndpoint,
          grant_types_supported: ['client_credentials', 'password'],
          response_types_supported: ['token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: [SIGNING_ALG],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'scope', 'client_id', 'azp', 'preferred_username', 'email'],
        });
      } else if (req.method === 'GET' && sub === '/jwks') {
        json(res, 200, publicJwks(ring), { 'cache-control': 'max-age=60' });
      } else if (req.method === 'POST' && sub === '/token') {
        tokenGrant(req).then(
          (t) => json(res, 200, { access_token: t.accessToken, token_type: t.tokenType, expires_in: t.expiresIn, ...(t.scope ? { scope: t.scope } : {}) }),
          (err: unknown) => {
            if (err instanceof OAuthError) {
              log.info('token request refused', { error: err.code, reason: err.message });
              json(res, err.status, { error: err.code, error_description: err.message });
            } else {
              log.error('token request failed', { error: (err as Error).message });
              json(res, 500, { error: 'server_error', error_description: (err as Error).message });
            }
          },
        );
      } else {
        json(res, 404, { error: 'not_found', error_description: `the local issuer serves GET ${ISSUER_PATH}/.well-known/openid-configuration, GET ${ISSUER_PATH}/jwks and POST ${ISSUER_PATH}/token` });
      }
      return true;
    },
    mint,
    async rotate() {
      const before = ring.keys.map((k) => k.kid);
      ring = await rotateKeys(opts.stateDir, ring, graceMs);
      localSet = createLocalJWKSet(publicJwks(ring));
      log.info('signing key rotated', { kid: ring.keys[0]!.kid });
      return { kid: ring.keys[0]!.kid, retired: before };
    },
    keySet: () => (header, token) => localSet(header, token),
    settings: () => settings,
  };
}

export { OAuthError };
