// Wire shapes of the issuer's token API: type-only, no Node.js imports.
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
