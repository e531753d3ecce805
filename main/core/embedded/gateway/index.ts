export { createGatewayModule, GATEWAY_METRICS, GATEWAY_SERVICE, type GatewayApi, type GatewayModule, type GatewayModuleOptions } from './gateway-module.js';
export { JWT_MESSAGES, RBAC_DENIED } from './jwt-check.js';
export { hostUrls } from './hosts.js';
