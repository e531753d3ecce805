import type { StandbyPool } from './standby-pool.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONFIGMAP, FUNCTION, isRecord, SECRET, type KubeObject, type Logger } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { ModuleContext } from '../module.js';
import { ConfigError, effectiveConfig, contentHash, referencedObjects, resourceProfile } from './effective-config.js';
import { fnKey, KeyedQueue, SAVED_AT_ANNOTATION, SOURCE_DIR_ANNOTATION, type FnState } from './function-state.js';
import { RevisionHistory } from './revision-history.js';
import { Deployer } from './deployer.js';
import { podSelector, readyCount, runningCondition, withTransitions, type CondSpec } from './status.js';

export interface ControllerOptions {
  meshPort: number;
  /** Folder of the workers' Unix sockets (see worker-socket.ts). */
  socketDir: string;
  startTimeoutMs: number;
  npmFlags: string[];
  workerEntry?: string;
  preloadPath?: string;
  onWorkerLine?: (line: string, stream: 'stdout' | 'stderr', worker: string) => void;
  standby?: StandbyPool;
}

/** The part of a Function that can change what runs; status-only writes (our own) do not change it. */
function specKey(fn: KubeObject): string {
  const a = fn.metadata.annotations ?? {};
  return JSON.stringify([fn.metadata.generation, fn.spec, a[SAVED_AT_ANNOTATION], a[SOURCE_DIR_ANNOTATION]]);
}

function desiredReplicas(fn: KubeObject, max: number): number {
  const spec = fn.spec ?? {};
  const sc = isRecord(spec.scaleConfig) ? spec.scaleConfig : {};
  const n = typeof spec.replicas === 'number' ? spec.replicas : typeof sc.minReplicas === 'number' ? sc.minReplicas : 1;
  return Math.min(n, max);
}

/** A note when the host Node differs from the Function's runtime (there is one Node: the host's). */
export function hostNodeNote(runtime: string): string {
  const want = /^nodejs(\d+)$/.exec(runtime)?.[1];
  const have = process.versions.node.split('.')[0];
  return want && want !== have ? `; ${runtime} runs on host Node v${process.versions.node}` : '';
}

/** Watches Functions (and the Secrets/ConfigMaps they read) and reconciles each one into running workers. */
export class ServerlessController {
  readonly states = new Map<string, FnState>();
  private readonly queue = new KeyedQueue((key) => this.reconcile(key));
  private readonly seen = new Map<string, string>();
  private readonly unwatch: Array<() => void> = [];
  private readonly deployer: Deployer;
  private stopped = false;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly opts: ControllerOptions,
    private readonly log: Logger,
  ) {
    this.deployer = new Deployer(ctx, opts, log, (st) => this.scheduleStatus(st));
  }

  get store(): Store {
    return this.ctx.store;
  }

  get workers(): Deployer {
    return this.deployer;
  }

  start(): void {
    const { items, resourceVersion } = this.ctx.store.list(FUNCTION);
    for (const fn of items) this.onFunction(fn);
    this.unwatch.push(
      this.ctx.store.watch(FUNCTION, { resourceVersion }, (ev) => (ev.type === 'DELETED' ? this.onDeleted(ev.object) : this.onFunction(ev.object))),
      this.ctx.store.watch(SECRET, {}, (ev) => this.onReferenced('Secret', ev.object)),
      this.ctx.store.watch(CONFIGMAP, {}, (ev) => this.onReferenced('ConfigMap', ev.object)),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unwatch.splice(0)) u();
    await this.queue.all();
    await this.deployer.stopAll();
    for (const st of this.states.values()) this.ctx.services.remove(st.name, st.namespace);
    await Promise.all([...this.states.values()].map((s) => s.history.flush()));
  }

  enqueue(namespace: string, name: string): Promise<void> {
    return this.queue.enqueue(fnKey(namespace, name));
  }

  settled(namespace: string, name: string): Promise<void> {
    return this.queue.settled(fnKey(namespace, name));
  }

  async state(namespace: string, name: string): Promise<FnState> {
    const key = fnKey(namespace, name);
    let st = this.states.get(key);
    if (!st) {
      const dir = path.join(this.ctx.stateDir, 'functions', namespace, name);
      st = {
        key,
        namespace,
        name,
        dir,
        history: await RevisionHistory.load(dir),
        desired: 1,
        configCond: { type: 'ConfigurationReady', status: 'Unknown', reason: 'FunctionSpecValidated', message: 'Waiting for the controller' },
        seenAt: Date.now(),
        statusChain: Promise.resolve(),
        statusQueued: false,
      };
      // Another reconcile may have created it while the history loaded.
      st = this.states.get(key) ?? st;
      this.states.set(key, st);
    }
    return st;
  }

  private onFunction(fn: KubeObject): void {
    const key = fnKey(fn.metadata.namespace ?? 'default', fn.metadata.name);
    const k = specKey(fn);
    if (this.seen.get(key) === k) return;
    this.seen.set(key, k);
    const st = this.states.get(key);
    if (st) st.seenAt = Date.now();
    void this.queue.enqueue(key);
  }

  private onDeleted(fn: KubeObject): void {
    const key = fnKey(fn.metadata.namespace ?? 'default', fn.metadata.name);
    this.seen.delete(key);
    void this.queue.enqueue(key);
  }

  private onReferenced(kind: 'Secret' | 'ConfigMap', obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? 'default';
    for (const fn of this.ctx.store.list(FUNCTION, { namespace: ns }).items) {
      if (referencedObjects(fn).has(`${kind}/${obj.metadata.name}`)) void this.queue.enqueue(fnKey(ns, fn.metadata.name));
    }
  }

  private async reconcile(key: string): Promise<void> {
    if (this.stopped) return;
    const [namespace, name] = key.split('/') as [string, string];
    const fn = this.ctx.store.find(FUNCTION, namespace, name);
    if (!fn) return this.teardown(key);
    const st = await this.state(namespace, name);
    // A debugger attaches to one process: while debugging, exactly one replica serves.
    st.desired = st.debug ? 1 : desiredReplicas(fn, this.ctx.profile.limits?.maxReplicas ?? 10);
    st.observedGeneration = fn.metadata.generation;
    try {
      await this.reconcileFunction(st, fn);
    } catch (err) {
      this.log.error('reconcile failed', { function: key, error: (err as Error).message });
      st.configCond = { type: 'ConfigurationReady', status: 'False', reason: 'SourceUpdateFailed', message: `Internal error: ${(err as Error).message}` };
    }
    this.scheduleStatus(st);
    await st.statusChain;
  }

  private async reconcileFunction(st: FnState, fn: KubeObject): Promise<void> {
    const spec = fn.spec ?? {};
    const runtime = String(spec.runtime);
    const invalid = (message: string): CondSpec => ({ type: 'ConfigurationReady', status: 'False', reason: 'InvalidFunctionSpec', message });
    if (!runtime.startsWith('nodejs')) {
      st.configCond = invalid(`Runtime ${runtime} is not supported by the embedded runtime, which runs Node.js functions only (nodejs20, nodejs22, nodejs24). Use the kind profile (kyma-local up --profile kind) to run Python functions.`);
      st.failure = 'Not deployed: the runtime is not supported by the embedded runtime';
      return this.deployer.retire(st);
    }
    if (!isRecord(spec.source) || !isRecord(spec.source.inline)) {
      st.configCond = invalid('gitRepository sources are not supported by the embedded runtime yet; use inline source (or a function folder with kyma-local dev), or the kind profile');
      st.failure = 'Not deployed: gitRepository source';
      return this.deployer.retire(st);
    }
    let cfg;
    try {
      cfg = effectiveConfig(this.ctx.store, fn);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // Like a Pod that cannot start for a missing Secret: nothing new is deployed; what serves keeps serving.
      st.configCond = invalid(err.message + (st.serving ? `; revision ${st.serving.revision} keeps serving` : ''));
      if (!st.serving) st.failure = `Not deployed: ${err.message}`;
      return;
    }
    // Turning debugging on or off makes a new revision, like any change of how the workers start.
    const hash = contentHash(cfg) + (st.debug ? `+debug:${st.debug.port}${st.debug.break ? ':break' : ''}` : '');
    const note = hostNodeNote(runtime);
    if (st.serving?.hash === hash && st.pendingRollback === undefined) {
      st.configCond = { type: 'ConfigurationReady', status: 'True', reason: 'SourceUpdated', message: `Revision ${st.serving.revision} is serving${note}` };
      st.lastFailedHash = undefined;
      return this.deployer.scale(st);
    }
    if (st.lastFailedHash === hash && st.pendingRollback === undefined) return this.deployer.scale(st);
    await this.deployer.deploy(st, fn, cfg, hash, note);
  }

  private async teardown(key: string): Promise<void> {
    const st = this.states.get(key);
    if (!st) return;
    this.states.delete(key);
    await this.deployer.retire(st);
    await st.history.flush();
    await fs.rm(st.dir, { recursive: true, force: true });
  }

  /** Status writes per function, serialized; a write queued behind a running one covers every later change. */
  scheduleStatus(st: FnState): void {
    if (st.statusQueued) return;
    st.statusQueued = true;
    st.statusChain = st.statusChain
      .then(() => {
        st.statusQueued = false;
        return this.writeStatus(st);
      })
      .catch((err: Error) => this.log.warn('cannot write Function status', { function: st.key, error: err.message }));
  }

  private async writeStatus(st: FnState): Promise<void> {
    if (this.stopped || this.states.get(st.key) !== st) return;
    const fn = this.ctx.store.find(FUNCTION, st.namespace, st.name);
    if (!fn) return;
    const running = runningCondition({
      desired: st.desired,
      workers: st.serving?.workers,
      revision: st.serving?.revision,
      ...(st.deploying !== undefined ? { deploying: st.deploying } : {}),
      ...(st.failure ? { failure: st.failure } : {}),
    });
    const prev = fn.status ?? {};
    const status: Record<string, unknown> = {
      conditions: withTransitions(prev.conditions, [st.configCond, running], new Date().toISOString()),
      runtime: fn.spec?.runtime,
      replicas: readyCount(st.serving?.workers),
      podSelector: podSelector(fn),
      functionResourceProfile: resourceProfile(fn.spec ?? {}).profile,
      observedGeneration: st.observedGeneration,
      // Local extensions: the serving revision and the last revision failure (null clears it).
      revision: st.serving?.revision ?? null,
      revisionMessage: st.lastError ? st.lastError.message : null,
    };
    const same = Object.keys(status).every((k) => JSON.stringify(prev[k] ?? null) === JSON.stringify(status[k] ?? null));
    if (same) return;
    await this.ctx.store.patchStatus(FUNCTION, st.namespace, st.name, status);
  }
}
