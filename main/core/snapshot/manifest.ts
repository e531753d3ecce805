import type { SnapshotManifest } from '../api/index.js';
export type { SnapshotEntry, SnapshotFunction, SnapshotManifest } from '../api/index.js';

/** The snapshot file format: a gzip'd tar whose first entry is manifest.json, listing every other entry with its sha256. */
export const SNAPSHOT_FORMAT = 1;
export const MANIFEST_NAME = 'manifest.json';

/** The manifest without its entry list (filled in when the file is written). */
export type ManifestHead = Omit<SnapshotManifest, 'entries'>;

export class SnapshotError extends Error {}
