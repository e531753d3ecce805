import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject, Logger } from '../../model/index.js';
import type { ModuleName, Profile } from '../../profiles/index.js';
import type { ComponentStatus, ProgressEvent, ProgressListener, ResourceChange, Runtime, RuntimeCapabilities, RuntimePhase, RuntimeStatus, UpOptions } from '../../runtime.js';
import { applyObject, deleteObject, watchObjects, type Store } from '../../store/index.js';
import type { EmbeddedModule, ModuleContext, ModuleFactory, ServiceRegistry } from '../module.js';
import { ensureNatsServer, startNats, type RunningNats } from '../nats/index.js';
import { createServiceRegistry } from '../services/index.js';
import { createSupervisor, reapOrphans, type Supervisor } from '../supervisor/index.js';
import { NOT_IMPLEMENTED, processToComponentState, START_ORDER } from './module-order.js';
import { AbsentModuleStatus } from './absent-module-status.js';
import type { ModuleAbsence } from '../../profiles/index.js';

export interface EmbeddedRuntimeOptions {
  /** The cluster's state dir: children.json, JetStream data and module data live under it. */
  stateDir: string;
  store: Store;
  log: Logger;
  modules?: Partial<Record<ModuleName, ModuleFactory>>;
}

export interface EmbeddedRuntime extends Runtime {
  readonly kind: 'embedded';
  readonly supervisor: Supervisor;
  /** The hook modules use to plug in; a module without a factory shows as NotImplemented. */
  registerModule(name: ModuleName, factory: ModuleFactory): void;
  /** Live component changes after `up` has returned too (restarts, crash loops), for the dashboard. */
  onProgress(listener: ProgressListener): () => void;
  /** Filled by whoever registers the modules (cluster/modules.ts): a module that offers a capability adds it here. */
  readonly capabilities: RuntimeCapabilities;
}

interface Cluster {
  profile: Profile;
  startedAt: string;
  phase: RuntimePhase;
  nats?: RunningNats;
  /** Started modules, in start order. */
  modules: Array<{ name: ModuleName; module: EmbeddedModule }>;
  /** The state of everything that is not a started module (pending, failed, disabled, not implemented). */
  fixed: Map<string, ComponentStatus>;
  services: ServiceRegistry;
  endpoints: Map<string, string>;
  unsubscribe: Array<() => void>;
  notes: string[];
}

export function createEmbeddedRuntime(opts: EmbeddedRuntimeOptions): EmbeddedRuntime {
  return new EmbeddedRuntimeImpl(opts);
}

class EmbeddedRuntimeImpl implements EmbeddedRuntime {
  readonly kind = 'embedded' as const;
  readonly supervisor: Supervisor;
  private readonly factories = new Map<ModuleName, ModuleFactory>();
  private readonly listeners = new Set<ProgressListener>();
  private readonly log: Logger;
  private cluster: Cluster | undefined;
  private upping: Promise<RuntimeStatus> | undefined;
  private readonly absentStatus: AbsentModuleStatus;
  private downing: Promise<void> | undefined;
  /** Set by prepare() so the first `up` does not reap the same state dir again. */
  private reaped = false;
  readonly capabilities: RuntimeCapabilities;

  constructor(private readonly opts: EmbeddedRuntimeOptions) {
    this.log = opts.log;
    this.absentStatus = new AbsentModuleStatus(opts.store, opts.log.child({ component: 'absent-modules' }));
    this.supervisor = createSupervisor({ stateDir: opts.stateDir, log: opts.log.child({ component: 'supervisor' }) });
    // The dev loop writes to the daemon's store, which the embedded modules watch.
    this.capabilities = { dev: { apply: (obj) => applyObject(opts.store, obj) } };
    for (const [name, factory] of Object.entries(opts.modules ?? {})) {
      if (factory) this.factories.set(name as ModuleName, factory);
    }
  }

  async prepare(): Promise<void> {
    await mkdir(this.opts.stateDir, { recursive: true });
    await this.reapOrphans('a previous daemon that did not shut down cleanly');
    this.reaped = true;
  }

  private async reapOrphans(who: string): Promise<void> {
    const reaped = await reapOrphans(this.opts.stateDir, this.log);
    if (reaped > 0) this.log.warn(`Reaped ${reaped} process(es) left behind by ${who}`);
  }

  registerModule(name: ModuleName, factory: ModuleFactory): void {
    this.factories.set(name, factory);
  }

  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async up(profile: Profile, onProgress: ProgressListener, opts: UpOptions = {}): Promise<RuntimeStatus> {
    if (this.downing) await this.downing;
    const existing = await this.reuseOrClear(profile);
    if (existing) return existing;
    const run = this.bringUp(profile, onProgress, opts);
    this.upping = run;
    try {
      return await run;
    } finally {
      this.upping = undefined;
    }
  }

  /** The status of a cluster already up (or coming up) with this profile; clears a failed one; refuses another profile. */
  private async reuseOrClear(profile: Profile): Promise<RuntimeStatus | undefined> {
    const current = this.cluster;
    if (!current) return undefined;
    // A cluster whose up failed before anything ran is just in the way, whatever its profile.
    const nothingRuns = current.phase === 'Failed' && !this.upping;
    if (!nothingRuns && !sameProfile(current.profile, profile)) {
      throw new Error(`cluster is already up with profile ${current.profile.name} — run \`kyma-local down\` first`);
    }
    if (this.upping) return this.upping;
    if (current.phase === 'Ready') return this.status();
    // Same profile after a failed up: start over rather than patch a half-started cluster.
    await this.down();
    return undefined;
  }

  private async bringUp(profile: Profile, onProgress: ProgressListener, opts: UpOptions): Promise<RuntimeStatus> {
    const c: Cluster = {
      profile,
      startedAt: new Date().toISOString(),
      phase: 'Starting',
      modules: [],
      fixed: new Map(),
      services: createServiceRegistry(),
      endpoints: new Map(),
      unsubscribe: [],
      notes: [`Functions run on the host's Node.js ${process.version}`],
    };
    this.cluster = c;
    const emit = (ev: ProgressEvent): void => this.emit(ev, onProgress);
    const set = (s: ComponentStatus): void => {
      c.fixed.set(s.name, s);
      emit({ component: s.name, state: s.state, ...(s.message ? { message: s.message } : {}) });
    };
    set({ name: 'nats', kind: 'process', state: 'Pending' });
    for (const name of START_ORDER) set({ name, kind: 'module', state: profile.modules.includes(name) ? 'Pending' : 'Disabled' });

    await mkdir(this.opts.stateDir, { recursive: true });
    if (!this.reaped) await this.reapOrphans('a previous daemon');
    this.reaped = false;

    set({ name: 'nats', kind: 'process', state: 'Starting' });
    try {
      // A fresh machine has no nats-server: fetch the pinned release (progress goes out as the nats line's message).
      const binary = await ensureNatsServer(profile.natsServer, {
        ...(opts.offline ? { offline: true } : {}),
        onProgress: (message) => set({ name: 'nats', kind: 'process', state: 'Starting', message }),
      });
      c.nats = await startNats({
        supervisor: this.supervisor,
        stateDir: this.opts.stateDir,
        port: profile.ports.nats,
        binary,
        ...(profile.ports.natsMonitor !== undefined ? { monitorPort: profile.ports.natsMonitor } : {}),
        serverName: `kyma-local-${profile.name}`,
        log: this.log,
      });
    } catch (err) {
      set({ name: 'nats', kind: 'process', state: 'Failed', message: (err as Error).message });
      c.phase = 'Failed';
      throw err;
    }
    c.fixed.delete('nats');
    c.endpoints.set('nats', c.nats.url);
    c.unsubscribe.push(c.nats.process.onStateChange((s) => emit({ component: 'nats', state: processToComponentState(s.state), ...(s.message ? { message: s.message } : {}) })));
    emit({ component: 'nats', state: 'Ready', message: c.nats.url });

    const absent = new Map<ModuleName, ModuleAbsence>();
    for (const name of START_ORDER) {
      if (!profile.modules.includes(name)) absent.set(name, 'Disabled');
      else if (!this.factories.has(name)) absent.set(name, 'NotImplemented');
    }
    await this.absentStatus.clearFor(START_ORDER.filter((m) => !absent.has(m)));

    const missing: string[] = [];
    for (const name of START_ORDER) {
      if (!profile.modules.includes(name)) continue;
      const factory = this.factories.get(name);
      if (!factory) {
        missing.push(name);
        set({ name, kind: 'module', state: 'NotImplemented', message: NOT_IMPLEMENTED });
        continue;
      }
      set({ name, kind: 'module', state: 'Starting' });
      const module = factory();
      try {
        await module.start(this.context(c, name));
      } catch (err) {
        const reason = (err as Error).message;
        set({ name, kind: 'module', state: 'Failed', message: reason });
        // The module may have started processes before failing; it owns them, so ask it to stop.
        await module.stop().catch((e: Error) => this.log.warn(`Stopping failed module ${name}: ${e.message}`));
        c.phase = 'Degraded';
        throw new Error(`Module ${name} failed: ${reason}`);
      }
      c.fixed.delete(name);
      c.modules.push({ name, module });
      emit({ component: name, state: 'Ready' });
    }
    if (missing.length > 0) c.notes.push(`Not implemented yet in the embedded runtime: ${missing.join(', ')}`);
    c.phase = 'Ready';
    this.absentStatus.start(absent, profile.name);
    return this.status();
  }

  private context(c: Cluster, name: ModuleName): ModuleContext {
    return {
      profile: c.profile,
      stateDir: this.opts.stateDir,
      store: this.opts.store,
      supervisor: this.supervisor,
      natsUrl: c.nats!.url,
      log: this.log.child({ component: name }),
      endpoints: c.endpoints,
      services: c.services,
    };
  }

  down(onProgress?: ProgressListener): Promise<void> {
    this.downing ??= this.bringDown(onProgress).finally(() => {
      this.downing = undefined;
    });
    return this.downing;
  }

  private async bringDown(onProgress?: ProgressListener): Promise<void> {
    if (this.upping) await this.upping.catch(() => undefined);
    this.absentStatus.stop();
    const c = this.cluster;
    const emit = (component: string, state: ProgressEvent['state'], message?: string): void =>
      this.emit({ component, state, ...(message ? { message } : {}) }, onProgress);
    if (c) {
      c.phase = 'Stopping';
      for (const { name, module } of [...c.modules].reverse()) {
        emit(name, 'Stopping');
        try {
          await module.stop();
        } catch (err) {
          this.log.error(`Stopping module ${name} failed: ${(err as Error).message}`);
        }
        c.fixed.set(name, { name, kind: 'module', state: 'Stopped' });
        emit(name, 'Stopped');
      }
      c.modules = [];
      for (const off of c.unsubscribe) off();
      if (c.nats) {
        emit('nats', 'Stopping');
        await c.nats.process.stop();
        c.fixed.set('nats', { name: 'nats', kind: 'process', state: 'Stopped' });
        emit('nats', 'Stopped');
      }
    }
    // Whatever a module left behind (and a nats-server of a failed up) goes too.
    await this.supervisor.stopAll();
    if (c && !c.profile.retention.keepStateOnDown) {
      await rm(path.join(this.opts.stateDir, 'jetstream'), { recursive: true, force: true });
    }
    this.cluster = undefined;
  }

  status(): RuntimeStatus {
    const c = this.cluster;
    if (!c) return { runtime: 'embedded', phase: 'Stopped', components: [], notes: [`Functions run on the host's Node.js ${process.version}`] };
    const components: ComponentStatus[] = [];
    components.push(c.fixed.get('nats') ?? this.natsStatus(c));
    for (const name of START_ORDER) {
      const started = c.modules.find((m) => m.name === name);
      components.push(started ? { ...started.module.status(), name, kind: 'module' } : (c.fixed.get(name) ?? { name, kind: 'module', state: 'Pending' }));
    }
    let phase = c.phase;
    if (phase === 'Ready' && components.some((s) => ['Failed', 'CrashLoop', 'Starting'].includes(s.state))) phase = 'Degraded';
    return {
      runtime: 'embedded',
      profile: c.profile.name,
      profileSource: c.profile.source,
      phase,
      startedAt: c.startedAt,
      components,
      notes: [...c.notes],
    };
  }

  private natsStatus(c: Cluster): ComponentStatus {
    const n = c.nats!;
    const s = n.process.status();
    return {
      name: 'nats',
      kind: 'process',
      state: processToComponentState(s.state),
      ...(s.message ? { message: s.message } : {}),
      ...(s.pid !== undefined ? { pid: s.pid } : {}),
      ports: { client: n.port, ...(n.monitorPort !== undefined ? { monitor: n.monitorPort } : {}) },
      urls: { nats: n.url, ...(n.monitorUrl ? { monitor: n.monitorUrl } : {}) },
      restarts: s.restarts,
    };
  }

  private emit(ev: ProgressEvent, onProgress?: ProgressListener): void {
    for (const l of [onProgress, ...this.listeners]) {
      try {
        l?.(ev);
      } catch (err) {
        this.log.warn(`progress listener threw: ${(err as Error).message}`);
      }
    }
  }

  async apply(obj: KubeObject): Promise<KubeObject> {
    return (await applyObject(this.opts.store, obj)).object;
  }

  delete(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    return deleteObject(this.opts.store, obj);
  }

  watch(listener: (change: ResourceChange) => void): () => void {
    return watchObjects(this.opts.store, listener);
  }
}

function sameProfile(a: Profile, b: Profile): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
