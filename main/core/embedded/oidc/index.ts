export { createOidcIssuer, ISSUER_PATH, OAuthError, type OidcIssuer } from './issuer.js';
export { DEFAULT_OIDC, DEMO_CLIENT, DEMO_USER, type OidcClient, type OidcSettings, type OidcUser } from './settings.js';
export { keysFile } from './signing-keys.js';
