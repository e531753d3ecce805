// The public face of the function runtime for the processes that spawn it (the serverless controller).
// Keep this file free of runtime imports: importing it must not start a server or load OpenTelemetry.
import { fileURLToPath } from 'node:url';

/** Exit code of a worker whose handler could not be loaded (EX_CONFIG from sysexits.h). */
export const LOAD_ERROR_EXIT_CODE = 78;

/** Prefix of the single stderr line that describes a load failure; JSON (LoadErrorReport) follows it. */
export const LOAD_ERROR_PREFIX = 'KYMA_LOCAL_LOAD_ERROR ';

/** Where a handler failed to load. line/column are 1-based; null when the error carries no location. */
export interface LoadErrorReport {
  message: string;
  file: string;
  line: number | null;
  column: number | null;
}

/** IPC messages a worker sends to its parent. */
export type WorkerToParentMessage =
  | { type: 'ready'; port: number }
  | { type: 'ready'; socket: string }
  /** A standby worker has loaded the runtime and listens for `activate`. */
  | { type: 'standby' };

/** IPC messages a parent sends to a worker. */
export type ParentToWorkerMessage =
  | { type: 'services'; services: string[] }
  /** Starts a standby worker (KYMA_LOCAL_STANDBY=1) with this environment and working directory. */
  | { type: 'activate'; env: Record<string, string>; cwd?: string }
  /** Drain and exit, as on SIGTERM (Windows, where signals cannot be caught). */
  | { type: 'shutdown' };

/** Absolute path of the compiled worker entry (dist/main/core/function-runtime/server.js). */
export function functionServerEntry(): string {
  return fileURLToPath(new URL('./server.js', import.meta.url));
}

/** Parses one stderr line of a worker; returns the report when it is a load-error line. */
export function parseLoadErrorLine(line: string): LoadErrorReport | undefined {
  if (!line.startsWith(LOAD_ERROR_PREFIX)) return undefined;
  try {
    const v = JSON.parse(line.slice(LOAD_ERROR_PREFIX.length)) as Partial<LoadErrorReport>;
    if (typeof v.message !== 'string' || typeof v.file !== 'string') return undefined;
    return {
      message: v.message,
      file: v.file,
      line: typeof v.line === 'number' ? v.line : null,
      column: typeof v.column === 'number' ? v.column : null,
    };
  } catch {
    return undefined;
  }
}

export { withoutStacks } from './without-stacks.js';

export type { RuntimeConfig } from './config.js';
export type { UserFunction } from './load-handler.js';
export type { InProcessServer } from './in-process.js';

/** Loads handler.js like a worker does (CommonJS, or ESM by package.json); loaded lazily to keep this file light. */
export async function loadUserHandler(handlerFile: string, handlerDir: string): Promise<import('./load-handler.js').UserFunction> {
  return (await import('./load-handler.js')).loadHandler(handlerFile, handlerDir);
}

/** Serves a handler in this process with the worker's Express app (used by the test kit). */
export async function serveInProcess(
  fn: import('./load-handler.js').UserFunction,
  config: import('./config.js').RuntimeConfig,
): Promise<import('./in-process.js').InProcessServer> {
  return (await import('./in-process.js')).serveInProcess(fn, config);
}
