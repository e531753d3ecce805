export { createEmbeddedRuntime, type EmbeddedRuntime, type EmbeddedRuntimeOptions } from './embedded-runtime.js';
export { START_ORDER, NOT_IMPLEMENTED } from './module-order.js';
export { registerModules, type ModuleHandles, type ModuleHooks } from './modules.js';
export { createEmbeddedRuntimeWithModules } from './wired-runtime.js';
