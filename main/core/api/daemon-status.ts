import type { RuntimeKind, RuntimeStatus } from './runtime-status.js';

/** GET /kl/v1/status */
export interface DaemonStatusReport {
  daemon: { pid: number; version: string; url: string; stateDir: string; startedAt: string; logFile: string };
  cluster: RuntimeStatus;
}

/** GET /kl/v1/profiles → { items: ProfileSummary[] } */
export interface ProfileSummary {
  name: string;
  description: string;
  runtime: RuntimeKind;
  source: string;
}
