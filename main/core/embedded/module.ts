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
