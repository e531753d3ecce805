/** Function details and revisions as GET /kl/v1/functions… answers them. */
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
  /** Where the replica listens, e.g. `unix:/…/sockets/w-1f2e….sock`: reached only through the mesh and gateway. */
  address: string;
  state: string;
  restarts: number;
}

/** GET …/functions/<ns>/<name>: the details with the revision history. */
export type FunctionWithRevisions = FunctionDetails & { revisions: RevisionRecord[] };

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
  /**
   * From the host: the local mesh, which routes by the Host header below; on the kind/kubernetes runtime the cluster
   * API server's service proxy URL (called with the kubeconfig's credentials, no Host header needed).
   */
  hostUrl: string;
  hostHeader?: string;
  /** A command that works from a terminal on this machine. */
  curl: string;
}

/** `kyma-local debug`: the Node inspector's loopback port, and whether every invocation stops before the handler. */
export interface DebugOptions {
  port: number;
  break: boolean;
}

/** A function being debugged: where to attach and which file the inspector reports for the handler. */
export interface DebugSession extends DebugOptions {
  namespace: string;
  name: string;
  revision: number;
  /** The handler as the inspector sees it: the dev folder's own file, or a stable path for inline functions. */
  handlerFile: string;
  /** True when handlerFile is the user's own file in a dev folder (no path mapping needed). */
  fromDevFolder: boolean;
}

/** What the debug route answers: the session plus the inspector's own target. */
export interface DebugInfo {
  session: DebugSession;
  /** ws://127.0.0.1:PORT/<id> of the handler's process, from the inspector's /json/list. */
  webSocketDebuggerUrl?: string;
  devtoolsUrl?: string;
}
