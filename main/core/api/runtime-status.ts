/** Which runtime a profile asks for (`spec.runtime`). */
/** `kubernetes` attaches to an existing cluster by kubeconfig (the kind runtime's code minus creating and installing). */
export type RuntimeKind = 'embedded' | 'kind' | 'kubernetes';

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
