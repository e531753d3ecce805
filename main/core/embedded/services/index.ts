export { createServiceRegistry, parseServiceHost } from './service-registry.js';
