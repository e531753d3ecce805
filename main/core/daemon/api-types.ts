// Shapes of the daemon's own API answers that the dashboard (renderer/, DOM lib) imports as they are: type-only,
// and importing nothing that pulls Node.js types in.
import type { RuntimeStatus } from '../runtime.js';

/** GET /kl/v1/status */
export interface DaemonStatusReport {
  daemon: { pid: number; version: string; url: string; stateDir: string; startedAt: string; logFile: string };
  cluster: RuntimeStatus;
}

/**
 * Invoke: a request header `x-kyma-local-forward-<name>: v` reaches the function as `<name>: v`. The daemon checks
 * Origin, Host and Authorization of requests to itself, so headers meant for the function (a CORS Origin, the
 * function's own Authorization) travel under this prefix.
 */
export const INVOKE_FORWARD_PREFIX = 'x-kyma-local-forward-';

/** Invoke: the response header with the function's answer time in milliseconds, as the daemon measured it. */
export const INVOKE_DURATION_HEADER = 'x-kyma-local-duration-ms';
