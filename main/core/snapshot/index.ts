export { SNAPSHOT_FORMAT, MANIFEST_NAME, SnapshotError, type SnapshotManifest, type SnapshotEntry, type SnapshotFunction, type ManifestHead } from './manifest.js';
export { packSnapshot, verifySnapshot, unpackSnapshot, describeTree } from './archive.js';
export { renderManifest } from './render.js';
