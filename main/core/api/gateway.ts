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
