export { createGatewayModule, GATEWAY_METRICS, GATEWAY_SERVICE, type ApiRuleView, type GatewayApi, type GatewayModule, type GatewayModuleOptions, type IssuerInfo } from './gateway-module.js';
export { JWT_MESSAGES, RBAC_DENIED } from './jwt-check.js';
export { hostUrls } from './hosts.js';
