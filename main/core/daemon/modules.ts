import type { EmbeddedRuntime } from '../embedded/index.js';
import { createEventingModule, type EventingModule } from '../embedded/eventing/index.js';

/** The live module instances, so the daemon's routes can reach their APIs (a new instance per `up`). */
export interface ModuleHandles {
  eventing?: EventingModule;
}

/** Registers every embedded module implemented so far; the others report NotImplemented in status. */
export function registerModules(runtime: EmbeddedRuntime, handles: ModuleHandles): void {
  runtime.registerModule('eventing', () => {
    const m = createEventingModule();
    handles.eventing = m;
    return m;
  });
}
