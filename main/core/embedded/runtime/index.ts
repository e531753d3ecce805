export { createEmbeddedRuntime, type EmbeddedRuntime, type EmbeddedRuntimeOptions } from './embedded-runtime.js';
export { START_ORDER, NOT_IMPLEMENTED } from './module-order.js';
export { applyObject, type ApplyOutcome } from './resources.js';
