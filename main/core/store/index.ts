export type * from './store.js';
export { createFileStore, type FileStore, type FileStoreOptions } from './file-store.js';
export { mergePatch, jsonPatch } from './patch.js';
