import { ApiError } from '../../model/index.js';
import { createPlatformTracing, type Telemetry } from '../../telemetry/index.js';
import type { Capability } from '../../runtime.js';
import { createEventingModule, type EventingApi, type EventingModule } from '../eventing/index.js';
import { createServerlessModule, type ServerlessApi, type ServerlessModule, type ServerlessModuleOptions } from '../serverless/index.js';
import { createTelemetryModule } from '../otlp/index.js';
import { createEmbeddedRuntime, type EmbeddedRuntime, type EmbeddedRuntimeOptions } from './embedded-runtime.js';

/** The live module instances, so the runtime's capabilities can reach their APIs (a new instance per `up`). */
export interface ModuleHandles {
  eventing?: EventingModule;
  serverless?: ServerlessModule;
}

export interface ModuleHooks {
  telemetry: Telemetry;
  onWorkerLine?: ServerlessModuleOptions['onWorkerLine'];
}

/** A capability that exists while its module runs; otherwise get() answers 503 with what to do. */
function whileRunning<T>(module: () => { status(): { state: string }; api: T } | undefined, notRunning: string): Capability<T> {
  return {
    get() {
      const m = module();
      if (!m || m.status().state !== 'Ready') throw new ApiError(503, 'ServiceUnavailable', notRunning);
      return m.api;
    },
  };
}

/**
 * Registers every embedded module implemented so far (the others report NotImplemented in status) and the
 * capabilities they give the runtime. A new module registers its factory here, and its capability if it has one.
 */
export function registerModules(runtime: EmbeddedRuntime, handles: ModuleHandles, hooks: ModuleHooks): void {
  // Eventing's publish/deliver spans land in the daemon's telemetry store, in-process.
  const eventingTracing = createPlatformTracing(hooks.telemetry);
  runtime.registerModule('telemetry', () => createTelemetryModule(hooks.telemetry));
  runtime.registerModule('eventing', () => {
    const m = createEventingModule({ tracerProvider: eventingTracing.provider });
    handles.eventing = m;
    return m;
  });
  runtime.registerModule('serverless', () => {
    const m = createServerlessModule({ metrics: hooks.telemetry, ...(hooks.onWorkerLine ? { onWorkerLine: hooks.onWorkerLine } : {}) });
    handles.serverless = m;
    return m;
  });
  runtime.capabilities.events = whileRunning<EventingApi>(() => handles.eventing, "eventing is not running — add it to the profile's modules and run `kyma-local up`");
  runtime.capabilities.functions = whileRunning<ServerlessApi>(() => handles.serverless, 'serverless is not running — run `kyma-local up` with a profile that includes it');
}

/** The embedded runtime with its modules and capabilities: what the daemon's runtime factory builds. */
export function createEmbeddedRuntimeWithModules(opts: EmbeddedRuntimeOptions & ModuleHooks): EmbeddedRuntime {
  const runtime = createEmbeddedRuntime(opts);
  registerModules(runtime, {}, opts);
  return runtime;
}
