import type { EmbeddedRuntime } from './embedded-runtime.js';
import type { Telemetry } from '../../telemetry/index.js';
import { createPlatformTracing } from '../../telemetry/index.js';
import { createEventingModule, type EventingModule } from '../eventing/index.js';
import { createServerlessModule, type ServerlessModule, type ServerlessModuleOptions } from '../serverless/index.js';
import { createTelemetryModule } from '../otlp/index.js';
import { createGatewayModule, type GatewayModule } from '../gateway/index.js';
import { createAppConnectorModule, type AppConnectorModule } from '../app-connector/index.js';
import { createServiceCatalogModule } from '../brokers/index.js';

/** The live module instances, so the runtime's capabilities can reach their APIs (a new instance per `up`). */
export interface ModuleHandles {
  eventing?: EventingModule;
  serverless?: ServerlessModule;
  gateway?: GatewayModule;
  appConnector?: AppConnectorModule;
}

export interface ModuleHooks {
  telemetry: Telemetry;
  onWorkerLine?: ServerlessModuleOptions['onWorkerLine'];
}

/** Registers every embedded module implemented so far; the others report NotImplemented in status. */
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
  // The gateway's server span is the root of a request's trace; it lands in the same store, in-process.
  const gatewayTracing = createPlatformTracing(hooks.telemetry, 'kyma-local-gateway');
  runtime.registerModule('api-gateway', () => {
    const m = createGatewayModule({ telemetry: hooks.telemetry, tracerProvider: gatewayTracing.provider });
    handles.gateway = m;
    return m;
  });
  const appGatewayTracing = createPlatformTracing(hooks.telemetry, 'kyma-local-application-gateway');
  runtime.registerModule('application-connector', () => {
    const m = createAppConnectorModule({ tracerProvider: appGatewayTracing.provider });
    handles.appConnector = m;
    return m;
  });
  runtime.registerModule('btp-operator', () => createServiceCatalogModule());
}
