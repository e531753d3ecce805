/** Clients and users of the local issuer (profile `spec.oidc`); a demo client exists so the happy path needs no config. */
export interface OidcClient {
  id: string;
  secret: string;
  /** Scopes this client may ask for; empty = any. */
  scopes: string[];
  /** Audience put into tokens when the request names none. */
  audience?: string;
}

export interface OidcUser {
  name: string;
  password: string;
  email?: string;
  /** Scopes this user may be granted; empty = any. */
  scopes: string[];
}

export interface OidcSettings {
  clients: OidcClient[];
  users: OidcUser[];
  /** Lifetime of issued tokens, seconds. */
  tokenTtlSeconds: number;
  /** How long a rotated-out signing key stays in the JWKS, seconds. */
  keyGraceSeconds: number;
}

export const DEMO_CLIENT: OidcClient = { id: 'kyma-local-demo', secret: 'kyma-local-demo-secret', scopes: [], audience: 'kyma-local' };
export const DEMO_USER: OidcUser = { name: 'developer', password: 'developer', email: 'developer@kyma.local', scopes: [] };

export const DEFAULT_OIDC: OidcSettings = { clients: [DEMO_CLIENT], users: [DEMO_USER], tokenTtlSeconds: 3600, keyGraceSeconds: 86_400 };
