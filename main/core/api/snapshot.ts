import type { DoctorCheck } from './doctor.js';
import type { RuntimeStatus } from './runtime-status.js';

/** One file or symlink inside a snapshot, as its manifest lists it. */
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

/** manifest.json, the first entry of a snapshot file. */
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

/** GET /kl/v1/doctor */
export interface DoctorReport {
  profile: string;
  checks: DoctorCheck[];
}

/** NDJSON lines of setup and snapshot save/load: progress messages, then one result line. */
export type TaskLine<R> = { type: 'progress'; message: string } | ({ type: 'result'; ok: true; warnings?: string[] } & R) | { type: 'result'; ok: false; error: string };

export interface SetupResult {
  /** What is in place, e.g. "nats-server: /home/me/.kyma-local/cache/bin/nats-server". */
  done: string[];
}

export interface SnapshotSaveResult {
  file: string;
  bytes: number;
  manifest: SnapshotManifest;
}

export interface SnapshotLoadResult {
  manifest: SnapshotManifest;
  status: RuntimeStatus;
  functions: { ready: number; total: number; notReady: string[] };
}

/** A snapshot file in the home's snapshots/ folder. */
export interface SnapshotFileInfo {
  name: string;
  bytes: number;
  modified: string;
}
