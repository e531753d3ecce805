// Wire shapes of the gateway's views (daemon API → CLI, dashboard): type-only, no Node.js imports.
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
