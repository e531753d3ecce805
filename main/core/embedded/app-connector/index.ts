export { createAppConnectorModule, type AppConnectorApi, type AppConnectorModule, type AppConnectorModuleOptions } from './app-connector-module.js';
export { APP_SECRETS_NAMESPACE } from './secrets.js';
export { inboundTokenSecretName } from './status.js';
export type { GatewayCall } from './call-log.js';
export { GatewayError } from './resolve.js';
