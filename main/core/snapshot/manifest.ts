/** The snapshot file format: a gzip'd tar whose first entry is manifest.json, listing every other entry with its sha256. */
export const SNAPSHOT_FORMAT = 1;
export const MANIFEST_NAME = 'manifest.json';

export interface SnapshotEntry {
  /** Path inside the archive, `/`-separated. */
  path: string;
  type: 'file' | 'symlink';
  /** Bytes of a file; 0 for a symlink. */
  size: number;
  /** sha256 of a file's bytes, or of a symlink's target text. */
  sha256: string;
}

export interface SnapshotFunction {
  namespace: string;
  name: string;
  runtime: string;
}

export interface SnapshotManifest {
  format: number;
  app: { name: 'kyma-local'; version: string };
  createdAt: string;
  /** The cluster profile it was saved from; its YAML is profile.yaml. */
  profile: { name: string; runtime: string; modules: string[] };
  contents: {
    /** Resource counts per kind, in resources.json. */
    resources: Record<string, number>;
    functions: SnapshotFunction[];
    secretsIncluded: boolean;
    /** Dev folders (function sources) under dev/<n>/, with the folder they were watched from. */
    devFolders: Array<{ index: number; root: string; functions: string[] }>;
    /** npm dependency cache entries under npm/<key>/ (so a restore installs nothing). */
    npmEntries: string[];
    /** JetStream's store under jetstream/ and the inspector's records in events.json. */
    events: { included: boolean; count: number };
    /** telemetry.jsonl (OTLP/JSON lines). */
    telemetry: { included: boolean; spans: number; logRecords: number };
    /** Why no container images are inside (the kind runtime would add them). */
    images: string;
  };
  entries: SnapshotEntry[];
}

export class SnapshotError extends Error {}
