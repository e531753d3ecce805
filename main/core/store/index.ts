export type * from './store.js';
export { createFileStore, type FileStore, type FileStoreOptions } from './file-store.js';
export { mergePatch, jsonPatch, deepEqual } from './patch.js';
export { applyObject, deleteObject, watchObjects, type ApplyOutcome } from './apply.js';
export { mergeStringData } from './object-rules.js';
