export { createServerlessModule, type ServerlessModule, type ServerlessModuleOptions } from './serverless-module.js';
export { SAVED_AT_ANNOTATION, SOURCE_DIR_ANNOTATION } from './function-state.js';
export { DEFAULT_PUBLISHER_PROXY } from './workers.js';
export type * from './types.js';
export { createServiceForwarder, type ForwardOptions, type ForwardOutcome, type ServiceForwarder } from './service-forwarder.js';
