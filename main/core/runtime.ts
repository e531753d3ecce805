import type { KubeObject } from './model/index.js';
import type { ModuleName, Profile, RuntimeKind } from './profiles/index.js';

/**
 * The interface both runtimes (embedded, kind) implement. The daemon holds exactly one Runtime and
 * talks to nothing else for cluster lifecycle.
 */
export type ComponentState =
  | 'Pending'
  | 'Starting'
  | 'Ready'
  | 'Failed'
  | 'CrashLoop'
  | 'Stopping'
  | 'Stopped'
  | 'NotImplemented'
  | 'Disabled';

export interface ComponentStatus {
  /** A module name (serverless, eventing, …) or a platform process (nats). */
  name: string;
  kind: 'module' | 'process';
  state: ComponentState;
  message?: string;
  pid?: number;
  ports?: Record<string, number>;
  urls?: Record<string, string>;
  restarts?: number;
}

export type RuntimePhase = 'Stopped' | 'Starting' | 'Ready' | 'Degraded' | 'Failed' | 'Stopping';

export interface RuntimeStatus {
  runtime: RuntimeKind;
  profile?: string;
  profileSource?: string;
  phase: RuntimePhase;
  startedAt?: string;
  components: ComponentStatus[];
  /** Host facts worth showing (e.g. host Node version used for nodejs22 functions). */
  notes?: string[];
}

export interface ProgressEvent {
  component: string;
  state: ComponentState;
  message?: string;
}

export type ProgressListener = (ev: ProgressEvent) => void;

export interface UpOptions {
  /** Never download anything (e.g. nats-server); fail with what to put where instead. */
  offline?: boolean;
}

export interface ResourceChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /** Brings the cluster up with `profile`; resolves when every enabled module is Ready, rejects with the reason otherwise. */
  up(profile: Profile, onProgress: ProgressListener, opts?: UpOptions): Promise<RuntimeStatus>;
  /** Stops every module and process; resolves when all children have exited. */
  down(onProgress?: ProgressListener): Promise<void>;
  status(): RuntimeStatus;
  apply(obj: KubeObject): Promise<KubeObject>;
  delete(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void>;
  watch(listener: (change: ResourceChange) => void): () => void;
}

export type { ModuleName };
