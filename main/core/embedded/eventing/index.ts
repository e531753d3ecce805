export { createEventingModule, type EventingModule, type EventingModuleOptions } from './eventing-module.js';
export { MAX_REQUEST_BYTES } from './proxy-server.js';
export { EVENT_LIMITS } from './limits.js';
export { connectBackend, ensureStream, type Backend } from './backend.js';
export { consumerName, cleanSource, cleanType, publishSubject, subscriptionSubject, STREAM_NAME, SUBJECT_PREFIX } from './naming.js';
export * from './types.js';
