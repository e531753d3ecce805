import type { ChildProcess } from 'node:child_process';

/** A readiness check run after spawn, repeatedly until it passes or the start timeout expires. */
export type ReadinessCheck =
  | { kind: 'tcp'; port: number; host?: string }
  | { kind: 'http'; url: string; expectStatus?: number }
  | { kind: 'custom'; check: () => Promise<boolean> }
  | { kind: 'none' };

export interface RestartPolicy {
  /** 'always' restarts on any exit not requested by stop(); 'never' leaves the process Failed. */
  mode: 'always' | 'on-failure' | 'never';
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** This many restarts within `crashLoopWindowMs` puts the process in CrashLoop state (still retried). */
  crashLoopThreshold: number;
  crashLoopWindowMs: number;
}

export interface ProcessSpec {
  /** Unique name, e.g. `nats` or `fn/default/hello/r3/0`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  readiness: ReadinessCheck;
  startTimeoutMs?: number;
  restart?: Partial<RestartPolicy>;
  /** SIGTERM, then SIGKILL after this long. */
  stopGraceMs?: number;
  /** Node workers: open an IPC channel so the child can exit when the daemon dies. */
  ipc?: boolean;
  /** Each stdout/stderr line, for logs and telemetry. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * For the first incarnation only: take over this already-running child (a pre-started standby, spawned like
   * the supervisor would: piped stdout/stderr, `ipc` as in this spec) instead of spawning. Restarts spawn as usual.
   */
  adopt?: () => ChildProcess | undefined;
}

export type ProcessState = 'Starting' | 'Ready' | 'Backoff' | 'CrashLoop' | 'Stopping' | 'Stopped' | 'Failed';

export interface ProcessStatus {
  name: string;
  state: ProcessState;
  pid?: number;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: string };
  /** The last stderr lines (bounded), shown when a process crash-loops. */
  lastStderr: string[];
  message?: string;
}

export interface SupervisedProcess {
  readonly name: string;
  status(): ProcessStatus;
  /** Resolves once the readiness check has passed for the current incarnation. */
  ready(): Promise<void>;
  /** Sends an IPC message to the current incarnation (spec.ipc only); false when it is not running or has no channel. */
  send(message: unknown): boolean;
  stop(): Promise<void>;
  onStateChange(listener: (s: ProcessStatus) => void): () => void;
}

export interface Supervisor {
  /** Spawns and supervises; the returned promise resolves after the first readiness pass, rejects with context otherwise. */
  start(spec: ProcessSpec): Promise<SupervisedProcess>;
  get(name: string): SupervisedProcess | undefined;
  list(): ProcessStatus[];
  /** Stops every supervised process (grace, then SIGKILL). */
  stopAll(): Promise<void>;
}
