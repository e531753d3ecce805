import type { EmbeddedRuntime } from '../embedded/index.js';

/** Registers every embedded module implemented so far; the others report NotImplemented in status. */
export function registerModules(_runtime: EmbeddedRuntime): void {
  // Modules register here as they land (serverless, eventing, …).
}
