import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KubeObject, Logger } from '../../model/index.js';
import type { ModuleContext } from '../module.js';
import type { ControllerOptions } from './controller.js';
import { DependencyError, hasDependencies, installDependencies } from './dependencies.js';
import type { EffectiveConfig } from './effective-config.js';
import { SAVED_AT_ANNOTATION, SOURCE_DIR_ANNOTATION, type FnState, type Serving } from './function-state.js';
import { materializeRevision, type PathMap } from './materialize.js';
import type { RevisionError, RevisionRecord } from './types.js';
import { startWorker, WorkerStartError, type Worker, type WorkerDebug } from './workers.js';
import { debugPlacement } from './debug-placement.js';
import { toUserPaths } from './user-paths.js';


function where(e: RevisionError): string {
  if (!e.file) return '';
  return ` at ${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}`;
}

/** Starts, switches, scales and stops the workers of each Function's revisions. */
export class Deployer {
  private readonly all = new Set<Worker>();
  private lastNames = '';
  private readonly offServices: () => void;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly opts: ControllerOptions,
    private readonly log: Logger,
    private readonly changed: (st: FnState) => void,
  ) {
    // Workers resolve cluster names locally; each gets the live list of services (KYMA_LOCAL_SERVICES at start).
    this.offServices = ctx.services.onChange(() => this.broadcastServices());
  }

  workers(): Worker[] {
    return [...this.all];
  }

  private broadcastServices(force = false): void {
    const names = this.ctx.services.names();
    const joined = names.join(',');
    if (!force && joined === this.lastNames) return;
    this.lastNames = joined;
    for (const w of this.all) w.proc.send({ type: 'services', services: names });
  }

  /** Publishes the serving revision's ready workers as the service's endpoints. */
  private publish(st: FnState): void {
    if (!st.serving) return this.ctx.services.remove(st.name, st.namespace);
    const ready = st.serving.workers.filter((w) => w.proc.status().state === 'Ready');
    this.ctx.services.set(st.name, st.namespace, ready.map((w) => ({ socketPath: w.socketPath })));
  }

  private async launch(st: FnState, revision: number, revDir: string, cfg: EffectiveConfig, pathMap: PathMap, replica: number, debug?: WorkerDebug): Promise<Worker> {
    const onWorkerLine = this.opts.onWorkerLine;
    const w = await startWorker({
      ...(debug ? { debug } : {}),
      ctx: this.ctx,
      namespace: st.namespace,
      name: st.name,
      revision,
      replica,
      revDir,
      cfg,
      pathMap,
      meshPort: this.opts.meshPort,
      socketDir: this.opts.socketDir,
      startTimeoutMs: this.opts.startTimeoutMs,
      ...(this.opts.workerEntry ? { entry: this.opts.workerEntry } : {}),
      ...(this.opts.preloadPath ? { preload: this.opts.preloadPath } : {}),
      log: this.log,
      ...(onWorkerLine ? { onLine: (line, stream, worker) => onWorkerLine(toUserPaths(line, revDir, st.sourceDir), stream, worker) } : {}),
      ...(this.opts.standby ? { standby: this.opts.standby } : {}),
    });
    this.all.add(w);
    w.proc.onStateChange((s) => {
      if (s.state === 'Stopped' || s.state === 'Failed') this.all.delete(w);
      // A restarted incarnation started with the service list of the first one; refresh it.
      if (s.state === 'Ready') w.proc.send({ type: 'services', services: this.ctx.services.names() });
      if (st.serving?.workers.includes(w)) {
        this.publish(st);
        this.changed(st);
      }
    });
    return w;
  }

  private async stopWorkers(workers: Worker[]): Promise<void> {
    await Promise.all(workers.map((w) => w.proc.stop().finally(() => this.all.delete(w))));
  }

  /** Brings the serving revision to the desired replica count, live (no new revision). */
  async scale(st: FnState): Promise<void> {
    const s = st.serving;
    if (!s) return;
    const extra = s.workers.slice(st.desired);
    if (extra.length > 0) {
      s.workers = s.workers.slice(0, st.desired);
      this.publish(st);
      this.changed(st);
      await this.stopWorkers(extra);
    }
    const used = new Set(s.workers.map((w) => w.replica));
    const free: number[] = [];
    for (let i = 0; free.length < st.desired - s.workers.length; i++) if (!used.has(i)) free.push(i);
    if (free.length === 0) return;
    this.changed(st);
    const started = await Promise.allSettled(free.map((i) => this.launch(st, s.revision, s.revDir, s.cfg, s.pathMap, i, s.debug)));
    for (const r of started) {
      if (r.status === 'fulfilled') {
        if (st.serving === s) s.workers.push(r.value);
        else await this.stopWorkers([r.value]);
      } else {
        st.lastError = { message: `Scaling revision ${s.revision} failed: ${(r.reason as Error).message}`, revision: s.revision };
        this.log.warn('cannot start replica', { function: st.key, error: (r.reason as Error).message });
      }
    }
    s.workers.sort((a, b) => a.replica - b.replica);
    this.publish(st);
  }

  /** Stops everything of a function (deleted, or its spec can no longer run here). */
  async retire(st: FnState): Promise<void> {
    const s = st.serving;
    st.serving = undefined;
    this.publish(st);
    if (s) await this.stopWorkers(s.workers);
  }

  async stopAll(): Promise<void> {
    this.offServices();
    await this.stopWorkers([...this.all]);
  }

  /** Makes a new revision; switches traffic to it when all its workers are healthy, else keeps the old one. */
  async deploy(st: FnState, fn: KubeObject, cfg: EffectiveConfig, hash: string, note: string): Promise<void> {
    const rollbackOf = st.pendingRollback;
    st.pendingRollback = undefined;
    st.sourceDir = fn.metadata.annotations?.[SOURCE_DIR_ANNOTATION];
    const generation = fn.metadata.generation ?? 0;
    // After a daemon restart, the last good revision with the same content is started again under its number.
    const last = st.history.list().reverse().find((r) => r.outcome === 'ready');
    const resume = !st.serving && rollbackOf === undefined && last?.contentHash === hash ? last : undefined;
    let record: RevisionRecord;
    if (resume) record = resume;
    else {
      const added = st.history.add({ contentHash: hash, generation, createdAt: new Date().toISOString(), ...(rollbackOf !== undefined ? { rollbackOf } : {}) });
      record = added.record;
      for (const n of added.pruned) await fs.rm(st.history.revDir(n), { recursive: true, force: true });
    }
    const n = record.number;
    const keeps = st.serving ? `; revision ${st.serving.revision} keeps serving` : '';
    const progress = (message: string): void => {
      st.configCond = { type: 'ConfigurationReady', status: 'Unknown', reason: 'FunctionSpecValidated', message: `Revision ${n}: ${message}` };
      this.changed(st);
    };
    if (!st.serving) st.deploying = n;
    const fail = (error: RevisionError): void => {
      st.deploying = undefined;
      st.lastFailedHash = hash;
      st.lastError = { ...error, revision: n };
      st.history.update(n, { outcome: 'failed', error });
      const message = `Revision ${n} failed: ${error.message}${where(error)}${keeps}`;
      st.configCond = { type: 'ConfigurationReady', status: 'False', reason: 'SourceUpdateFailed', message };
      if (!st.serving) st.failure = message;
      this.log.warn('function revision failed', { function: st.key, revision: n, error: error.message, file: error.file });
    };

    let depsDir: string | undefined;
    if (hasDependencies(cfg.dependencies)) {
      progress('installing dependencies…');
      try {
        depsDir = await installDependencies(cfg.dependencies, {
          cacheRoot: path.join(this.ctx.stateDir, '..', 'cache', 'npm'),
          log: this.log.child({ function: st.key, revision: n }),
          npmFlags: this.opts.npmFlags,
          onProgress: progress,
        });
      } catch (err) {
        if (!(err instanceof DependencyError)) throw err;
        return fail({ message: err.message });
      }
    }
    progress(`starting ${st.desired} worker(s)…`);
    const revDir = st.history.revDir(n);
    const pathMap = await materializeRevision(revDir, cfg, depsDir);
    const debug = st.debug ? { ...st.debug, ...(await debugPlacement(fn, revDir, path.join(this.ctx.stateDir, 'debug', st.namespace, st.name))) } : undefined;
    if (debug && st.serving?.debug?.port === debug.port) {
      // The serving worker holds the inspector port: it has to go before the new one can listen there.
      const held = st.serving;
      st.serving = undefined;
      this.publish(st);
      st.history.update(held.revision, { outcome: 'superseded' });
      await this.stopWorkers(held.workers);
    }
    const started = await Promise.allSettled(Array.from({ length: st.desired }, (_, i) => this.launch(st, n, revDir, cfg, pathMap, i, debug)));
    const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.stopWorkers(workers);
      return fail(this.describe(failed.reason, fn, revDir));
    }

    const old = st.serving;
    const serving: Serving = { revision: n, hash, cfg, pathMap, revDir, workers, ...(debug ? { debug } : {}) };
    st.serving = serving;
    st.deploying = undefined;
    st.failure = undefined;
    st.lastFailedHash = undefined;
    st.lastError = undefined;
    this.publish(st); // the atomic switch: from here on the mesh only picks the new workers
    const readyAt = Date.now();
    const savedAt = Number(fn.metadata.annotations?.[SAVED_AT_ANNOTATION]);
    // A rollback's latency runs from the rollback request (seenAt), not from the last save of the folder.
    const since = rollbackOf === undefined && Number.isFinite(savedAt) && savedAt > 0 ? savedAt : st.seenAt;
    if (!resume) st.history.update(n, { outcome: 'ready', readyAt: new Date(readyAt).toISOString(), latencyMs: Math.max(0, readyAt - since) });
    st.configCond = { type: 'ConfigurationReady', status: 'True', reason: 'SourceUpdated', message: `Revision ${n} is serving${note}` };
    this.changed(st);
    if (old) {
      st.history.update(old.revision, { outcome: rollbackOf !== undefined ? 'rolled-back' : 'superseded' });
      await this.stopWorkers(old.workers); // SIGTERM: the runtime drains in-flight requests
    }
    this.log.info('function revision ready', { function: st.key, revision: n, replicas: workers.length });
  }

  /** The failure as the user should see it: message and file:line, in their folder when known. */
  private describe(reason: unknown, fn: KubeObject, revDir: string): RevisionError {
    if (!(reason instanceof WorkerStartError)) return { message: (reason as Error).message };
    const load = reason.load;
    if (!load) return { message: reason.message };
    const sourceDir = fn.metadata.annotations?.[SOURCE_DIR_ANNOTATION];
    let file = load.file;
    if (sourceDir && (file === revDir || file.startsWith(revDir + path.sep))) file = path.join(sourceDir, path.relative(revDir, file));
    return { message: load.message, file, line: load.line, column: load.column };
  }
}
