export * from './object.js';
export * from './errors.js';
export * from './logger.js';
export * from './resource-type.js';
