// Shapes of the daemon's own API answers that the dashboard (renderer/, DOM lib) imports as they are: type-only,
// and importing nothing that pulls Node.js types in.
import type { RuntimeStatus } from '../runtime.js';

/** GET /kl/v1/status */
export interface DaemonStatusReport {
  daemon: { pid: number; version: string; url: string; stateDir: string; startedAt: string; logFile: string };
  cluster: RuntimeStatus;
}
