/** What happened to a revision. `superseded`: replaced by a newer good one; `rolled-back`: replaced by a rollback. */
export type RevisionOutcome = 'pending' | 'ready' | 'failed' | 'superseded' | 'rolled-back';

/** Where a revision failed; file is the user's file when the Function came from a folder. */
export interface RevisionError {
  message: string;
  file?: string;
  line?: number | null;
  column?: number | null;
}

export interface RevisionRecord {
  /** Monotonic per function, starting at 1. */
  number: number;
  /** sha256 of the effective code + config (source, dependencies, runtime, resolved env, mounted secrets, heap). */
  contentHash: string;
  /** The Function's metadata.generation this revision was made from. */
  generation: number;
  createdAt: string;
  readyAt?: string;
  outcome: RevisionOutcome;
  error?: RevisionError;
  /**
   * readyAt − the dev loop's save time (annotation kyma-local.io/saved-at), else − when the controller saw the
   * change; for a rollback, readyAt − when the rollback was asked for.
   */
  latencyMs?: number;
  /** Set on a revision made by rollback: the revision whose code it re-deploys. */
  rollbackOf?: number;
}

export interface WorkerInfo {
  name: string;
  replica: number;
  pid?: number;
  port: number;
  state: string;
  restarts: number;
}

/** Per-function view for the daemon (dashboard, CLI). */
export interface FunctionDetails {
  namespace: string;
  name: string;
  /** The revision serving traffic, if any. */
  currentRevision?: number;
  desiredReplicas: number;
  readyReplicas: number;
  workers: WorkerInfo[];
  /** The last failure (revision, dependency install or crash loop), cleared by the next good revision. */
  lastError?: RevisionError & { revision?: number };
  /** Folder holding the function's revisions and history. */
  stateDir: string;
  /** How to reach it; absent while serverless is not running. */
  access?: FunctionAccess;
}

/** The ways to call a function over plain HTTP. */
export interface FunctionAccess {
  /** What other functions call: http://NAME.NAMESPACE.svc.cluster.local */
  inCluster: string;
  /** From the host: the local mesh, which routes by the Host header below. */
  hostUrl: string;
  hostHeader: string;
  /** A command that works from a terminal on this machine. */
  curl: string;
}

export interface FunctionUrl {
  /** The mesh proxy, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The Host header to send, e.g. hello.default.svc.cluster.local */
  host: string;
}

export interface ServerlessApi {
  /** Oldest first, at most the last 50. */
  revisions(namespace: string, name: string): RevisionRecord[];
  /**
   * Re-deploys the code (source + dependencies) of an earlier good revision as a new revision (recording
   * `rollbackOf`); default: the newest good revision before the one serving. Resolves with the new revision.
   */
  rollback(namespace: string, name: string, toRevision?: number): Promise<RevisionRecord>;
  functionUrl(namespace: string, name: string): FunctionUrl;
  /** Pids of every running function worker. */
  workerPids(): number[];
  details(namespace: string, name: string): FunctionDetails | undefined;
  list(): FunctionDetails[];
  /** Resolves once the controller has no pending work for this function (tests, CLI `--wait`). */
  settled(namespace: string, name: string): Promise<void>;
}
