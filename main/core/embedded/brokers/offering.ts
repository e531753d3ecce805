import type { Logger } from '../../model/index.js';
import type { Supervisor } from '../supervisor/index.js';
import type { OsbService } from './osb-types.js';

/** One instance of a built-in offering, as the built-in broker persists it. */
export interface LocalInstance {
  id: string;
  offering: string;
  serviceId: string;
  planId: string;
  parameters: Record<string, unknown>;
  /** Loopback port of the instance's server (postgresql, redis); kept across restarts so bindings stay valid. */
  port?: number;
  /** Generated at provision; never logged. */
  password: string;
  createdAt: string;
  state: 'in progress' | 'succeeded' | 'failed';
  description?: string;
  operation?: string;
  bindings: string[];
}

export interface OfferingContext {
  supervisor: Supervisor;
  /** `<stateDir>/services/<offering>/<instance id>` is an instance's data dir. */
  dataRoot: string;
  natsUrl: string;
  log: Logger;
}

/** A built-in service: its catalog entry and the lifecycle of its local servers. */
export interface Offering {
  readonly service: OsbService;
  /** Why the offering cannot provision here, with the fix; undefined when it can. */
  unavailable(): string | undefined;
  /** Provisions (first call) or resumes (after a restart) the instance; resolves when it serves. */
  start(inst: LocalInstance, ctx: OfferingContext, firstTime: boolean): Promise<void>;
  /** Stops the instance's processes, keeping its data. */
  stop(inst: LocalInstance, ctx: OfferingContext): Promise<void>;
  /** Stops and deletes everything the instance had. */
  destroy(inst: LocalInstance, ctx: OfferingContext): Promise<void>;
  credentials(inst: LocalInstance): Record<string, unknown>;
}
