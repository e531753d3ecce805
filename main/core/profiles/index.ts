export * from './profile.js';
export { ProfileError } from './profile-error.js';
export { BUILTIN_PROFILES_DIR, listProfiles, loadProfile, type LoadProfileOptions, type ProfileSummary } from './load.js';
export { parseProfile, PROFILE_API_VERSION, PROFILE_KIND } from './validate.js';
export { DEFAULT_EVENTING, DEFAULT_LIMITS, DEFAULT_OIDC, DEFAULT_PORTS, DEFAULT_RETENTION, DEMO_OIDC_CLIENT, DEMO_OIDC_USER } from './defaults.js';
