/** APIRules as the gateway serves them and the local OIDC issuer, as GET/POST /kl/v1/gateway/… answer them. */
/** One APIRule as the CLI and dashboard show it. */
export interface ApiRuleView {
  namespace: string;
  name: string;
  host: string;
  url: string;
  curl: string;
  state: string;
  description: string;
  rules: Array<{ path: string; methods: string[]; auth: 'noAuth' | 'jwt' | 'extAuth'; service: string; issuers?: string[]; requiredScopes?: string[][]; audiences?: string[][] }>;
}

export interface IssuerInfo {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  discovery: string;
  clients: string[];
  users: string[];
}

export interface MintRequest {
  scopes?: string[];
  audience?: string;
  /** A user of the issuer (sub = the user); default: the demo client (sub = the client id). */
  user?: string;
  ttlSeconds?: number;
}

export interface MintedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: string;
  issuer: string;
}

/** POST /kl/v1/gateway/apirules/:namespace/:name/try — the dashboard's "try it": one call through the gateway. */
export interface TryRequest {
  method: string;
  /** Path and query, e.g. /orders?id=1 */
  path: string;
  body?: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
}

export interface TryAnswer {
  status: number;
  durationMs: number;
  contentType: string;
  /** At most 64 KiB of the answer. */
  body: string;
  truncated: boolean;
  /** The trace the gateway started for this call. */
  traceId?: string;
}
