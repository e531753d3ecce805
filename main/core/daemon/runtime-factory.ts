// The one place the daemon names a runtime implementation: a profile's `spec.runtime` → a Runtime. Everything
// else in the daemon talks to the Runtime interface and its capabilities (core/runtime.ts).
import type { Logger } from '../model/index.js';
import type { Profile, RuntimeKind } from '../profiles/index.js';
import type { Runtime } from '../runtime.js';
import type { Store } from '../store/index.js';
import type { Telemetry } from '../telemetry/index.js';
import { createEmbeddedRuntimeWithModules } from '../embedded/index.js';

export interface RuntimeDeps {
  /** The runtime's own state dir (inside the daemon's). */
  stateDir: string;
  store: Store;
  log: Logger;
  telemetry: Telemetry;
  /** A line a function replica printed (`worker` names function, revision and replica). */
  onWorkerLine?: (line: string, stream: 'stdout' | 'stderr', worker: string) => void;
}

export const DEFAULT_RUNTIME: RuntimeKind = 'embedded';

/** Builds the runtime a profile asks for; `profile` is only used to word the error of a runtime not built yet. */
export function createRuntime(kind: RuntimeKind, deps: RuntimeDeps, profile?: Profile): Runtime {
  switch (kind) {
    case 'embedded':
      return createEmbeddedRuntimeWithModules({ stateDir: deps.stateDir, store: deps.store, log: deps.log, telemetry: deps.telemetry, ...(deps.onWorkerLine ? { onWorkerLine: deps.onWorkerLine } : {}) });
    case 'kind':
      throw new Error(`profile ${profile?.name ?? '(unnamed)'} uses the ${kind} runtime, which this version of Kyma Local does not implement yet — use an embedded profile (default, minimal)`);
  }
}
