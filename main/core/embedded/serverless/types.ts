/** The serverless module's types: its wire types (core/api) and its API, the runtime's functions capability. */
import type { FunctionsCapability } from '../../runtime.js';
export type { DebugOptions, DebugSession, FunctionDetails, RevisionError, RevisionOutcome, RevisionRecord, WorkerInfo } from '../../api/index.js';
export type { FunctionUrl } from '../../runtime.js';

export interface ServerlessApi extends FunctionsCapability {
  /** Pids of every running function worker. */
  workerPids(): number[];
  /** Resolves once the controller has no pending work for this function (tests, CLI `--wait`). */
  settled(namespace: string, name: string): Promise<void>;
}
