// Service consumption: the OSB catalog, the built-in broker and the ServiceInstance/ServiceBinding controller.
export { createServiceCatalogModule, LOCAL_BROKER_SECRET, type ServiceCatalogModule, type ServiceCatalogModuleOptions } from './catalog-module.js';
export { OsbClient, BrokerCallError, parseCatalog } from './osb-client.js';
export { ServiceCatalogController, type ControllerOptions } from './controller.js';
export { BuiltinBroker } from './builtin-broker.js';
export { postgresqlOffering } from './offering-postgresql.js';
export { redisOffering, findRedisServer } from './offering-redis.js';
export { natsKvOffering, bucketName } from './offering-nats-kv.js';
export { startOsbServer, type OsbBackend, type OsbServer } from './osb-server.js';
export { OsbError } from './osb-errors.js';
export { OSB_API_VERSION, type OsbCatalog, type OsbService, type OsbPlan, type OsbLastOperation } from './osb-types.js';
export { BINDING_LABEL } from './binding-reconciler.js';
export { PG_SERVER_ENTRY } from './offering-postgresql.js';
