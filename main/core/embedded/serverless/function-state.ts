import type { RevisionHistory } from './revision-history.js';
import type { EffectiveConfig } from './effective-config.js';
import type { PathMap } from './materialize.js';
import type { CondSpec } from './status.js';
import type { DebugOptions, RevisionError } from './types.js';
import type { Worker } from './workers.js';

/** Annotations the dev loop sets on Functions made from folders. */
export { SAVED_AT_ANNOTATION, SOURCE_DIR_ANNOTATION } from '../../workspace/index.js';

/** The revision that receives traffic and its workers (the local Deployment's pods). */
export interface Serving {
  revision: number;
  hash: string;
  cfg: EffectiveConfig;
  pathMap: PathMap;
  revDir: string;
  workers: Worker[];
  /** Set when this revision's worker runs with the inspector (kyma-local debug). */
  debug?: DebugOptions & { handlerDir: string; handlerFile: string; fromDevFolder: boolean };
}

/** The controller's in-memory view of one Function. */
export interface FnState {
  key: string;
  namespace: string;
  name: string;
  dir: string;
  history: RevisionHistory;
  serving?: Serving;
  /** A revision being started while none serves (for the Running condition). */
  deploying?: number;
  desired: number;
  configCond: CondSpec;
  /** Running=False message when the first revision failed and nothing serves. */
  failure?: string;
  /** Content hash of the last failed attempt: the same content is not retried until it changes. */
  lastFailedHash?: string;
  lastError?: RevisionError & { revision?: number };
  observedGeneration?: number;
  /** When the controller saw the latest change (for save→ready latency without a saved-at annotation). */
  seenAt: number;
  /** The user's function folder (dev loop), for mapping paths in log lines; undefined for YAML-applied ones. */
  sourceDir?: string;
  /** Set by rollback(): the next revision records rollbackOf and is made even if the content is unchanged. */
  pendingRollback?: number;
  statusChain: Promise<void>;
  statusQueued: boolean;
  /** kyma-local debug: one replica with the inspector; every revision made meanwhile gets it too. */
  debug?: DebugOptions;
}

export function fnKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Runs work per key one at a time; requests during a run collapse into one more run (the latest state wins). */
export class KeyedQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();

  constructor(private readonly work: (key: string) => Promise<void>) {}

  enqueue(key: string): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      this.dirty.add(key);
      return current;
    }
    const run = (async () => {
      do {
        this.dirty.delete(key);
        await this.work(key);
      } while (this.dirty.has(key));
    })().finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /** Resolves when the key has no pending work. */
  async settled(key: string): Promise<void> {
    for (let p = this.running.get(key); p; p = this.running.get(key)) await p.catch(() => undefined);
  }

  async all(): Promise<void> {
    await Promise.all([...this.running.values()].map((p) => p.catch(() => undefined)));
  }
}
