import type { ComponentState, RuntimeStatus } from './runtime-status.js';

/** One component's step while the cluster comes up or goes down. */
export interface ProgressEvent {
  component: string;
  state: ComponentState;
  message?: string;
}

/** A line of the NDJSON stream POST /kl/v1/up and /kl/v1/down answer: progress lines, then one result line. */
export type ProgressLine =
  | ({ type: 'progress' } & ProgressEvent)
  | { type: 'result'; ok: boolean; error?: string; status?: RuntimeStatus };
