// The embedded runtime: the Kyma modules emulated by local processes. Other layers import only from here.
export * from './cluster/index.js';
export type * from './module.js';
export * from './supervisor/index.js';
export * from './nats/index.js';
export { createServiceRegistry, parseServiceHost } from './services/index.js';
export * from './eventing/index.js';
export * from './serverless/index.js';
export * from './otlp/index.js';
export * from './gateway/index.js';
export { DEFAULT_OIDC, type OidcSettings } from './oidc/index.js';
export * from './app-connector/index.js';
export * from './brokers/index.js';
