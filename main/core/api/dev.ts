/** A problem in a function folder, pointing at the file (and line/field) to fix. */
export interface WorkspaceError {
  /** Absolute path of the file at fault (or of the folder when a file is missing). */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Dotted config.yaml path with list indexes, e.g. `env[2].name`. */
  field?: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** GET /kl/v1/dev → { items: DevFolderState[] }: one watched function folder. */
export interface DevFolderState {
  dir: string;
  root: string;
  function?: { namespace: string; name: string };
  contentHash?: string;
  /** Problems of the last read; the last good version keeps serving while these are shown. */
  errors: WorkspaceError[];
  lastAppliedAt?: string;
}

/** A line of GET /kl/v1/dev/stream. */
export type DevEvent =
  | { type: 'applied'; dir: string; function: { namespace: string; name: string }; outcome: string; savedAt: number }
  | { type: 'folder-error'; dir: string; errors: WorkspaceError[] }
  | { type: 'removed'; dir: string }
  | { type: 'apply-error'; dir: string; message: string };
