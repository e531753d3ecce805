// The issuer's clients and users come from the profile (spec.oidc); these are the profile's types and defaults.
export { DEFAULT_OIDC, DEMO_OIDC_CLIENT as DEMO_CLIENT, DEMO_OIDC_USER as DEMO_USER, type OidcClient, type OidcSettings, type OidcUser } from '../../profiles/index.js';
