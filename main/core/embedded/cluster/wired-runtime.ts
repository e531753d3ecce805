import { ApiError } from '../../model/index.js';
import type { Capability } from '../../runtime.js';
import type { EventingApi } from '../eventing/index.js';
import type { ServerlessApi } from '../serverless/index.js';
import type { GatewayApi } from '../gateway/index.js';
import type { AppConnectorApi } from '../app-connector/index.js';
import { createEmbeddedRuntime, type EmbeddedRuntime, type EmbeddedRuntimeOptions } from './embedded-runtime.js';
import { registerModules, type ModuleHandles, type ModuleHooks } from './modules.js';

/** A capability that exists while its module runs; otherwise get() answers 503 saying what to do. */
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
 * The embedded runtime with its modules (modules.ts) and the capabilities they give it: what the daemon's runtime
 * factory builds. A module that offers a capability (gateway, catalog, …) adds it here the same way.
 */
export function createEmbeddedRuntimeWithModules(opts: EmbeddedRuntimeOptions & ModuleHooks): EmbeddedRuntime {
  const runtime = createEmbeddedRuntime(opts);
  const handles: ModuleHandles = {};
  registerModules(runtime, handles, opts);
  runtime.capabilities.events = whileRunning<EventingApi>(() => handles.eventing, "eventing is not running — add it to the profile's modules and run `kyma-local up`");
  runtime.capabilities.functions = whileRunning<ServerlessApi>(() => handles.serverless, 'serverless is not running — run `kyma-local up` with a profile that includes it');
  runtime.capabilities.gateway = whileRunning<GatewayApi>(() => handles.gateway, 'api-gateway is not running — run `kyma-local up` with a profile that includes it');
  runtime.capabilities.applications = whileRunning<AppConnectorApi>(() => handles.appConnector, 'application-connector is not running — run `kyma-local up` with a profile that includes it');
  return runtime;
}
