import type { Logger } from '../model/index.js';
import type { ModuleName, Profile } from '../profiles/index.js';
import type { ComponentStatus } from '../runtime.js';
import type { Store } from '../store/index.js';
import type { Supervisor } from './supervisor/index.js';

/** What the embedded runtime hands each module when it starts. */
export interface ModuleContext {
  profile: Profile;
  /** The cluster's state dir (inside the daemon's state dir); modules keep their data under it. */
  stateDir: string;
  store: Store;
  supervisor: Supervisor;
  /** nats://127.0.0.1:PORT of the running nats-server (always started first). */
  natsUrl: string;
  log: Logger;
  /** Endpoints other modules published (e.g. publisher proxy URL, OTLP URL), filled as modules become Ready. */
  endpoints: Map<string, string>;
  /** The local stand-in for cluster DNS + Services: serverless registers ready replicas, eventing resolves sinks. */
  services: ServiceRegistry;
}

/**
 * Where a ready replica listens: a loopback port (the platform's own listeners: publisher, OTLP, application
 * gateway) or a Unix domain socket / Windows named pipe (function workers, so no browser can reach them).
 */
export type ServiceEndpoint = { host: string; port: number } | { socketPath: string };

/** The node:http / net connect options for an endpoint. */
export function endpointConnect(ep: ServiceEndpoint): { host: string; port: number } | { socketPath: string } {
  return 'socketPath' in ep ? { socketPath: ep.socketPath } : { host: ep.host, port: ep.port };
}

/** `127.0.0.1:41234` or `unix:/…/w1.sock`, for logs and error messages. */
export function endpointLabel(ep: ServiceEndpoint): string {
  return 'socketPath' in ep ? `unix:${ep.socketPath}` : `${ep.host}:${ep.port}`;
}

/**
 * Resolves in-cluster service names (`<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>.svc`, `<svc>.<ns>`) to ready
 * local endpoints, round-robin. A name that is registered with no ready endpoints resolves to `null`
 * (like a Service without ready pods: connection refused); an unknown name to `undefined` (like NXDOMAIN).
 */
export interface ServiceRegistry {
  set(name: string, namespace: string, endpoints: ServiceEndpoint[]): void;
  remove(name: string, namespace: string): void;
  pick(hostname: string): ServiceEndpoint | null | undefined;
  /** `name.namespace` of every registered service. */
  names(): string[];
  onChange(listener: () => void): () => void;
  /** A request that reached a service without the mesh (e.g. an event delivery); observers keep its metrics. */
  reportRequest(hostname: string, ms: number, status: number, failed: boolean): void;
  onRequest(listener: (hostname: string, ms: number, status: number, failed: boolean) => void): () => void;
}

/**
 * The hook the eventing/serverless/… modules register into. `start` resolves when the module is Ready and
 * rejects with a user-facing reason otherwise; `stop` must leave no child process behind.
 */
export interface EmbeddedModule {
  readonly name: ModuleName;
  start(ctx: ModuleContext): Promise<void>;
  stop(): Promise<void>;
  status(): ComponentStatus;
}

export type ModuleFactory = () => EmbeddedModule;
