import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { KubeObject, Logger, ResourceType } from '../model/index.js';
import type { Profile } from '../profiles/index.js';
import type { ComponentState, ComponentStatus, ProgressListener, ResourceChange, Runtime, RuntimeCapabilities, RuntimePhase, RuntimeStatus } from '../runtime.js';
import { applyObject, deleteObject, watchObjects, type Store } from '../store/index.js';
import { dockerClient, nodeContainers, startNodes, stopNodes } from './docker.js';
import { downloadKind, findKind, kindInstallHint } from './kind-binary.js';
import { createCluster, getKubeconfig } from './kind-cli.js';
import { kindConfigYaml, localRegistryHostingConfigMap, pinNodeImage } from './kind-config.js';
import { resolveNodeImage } from './node-image.js';
import { crObject, installPlan, type ModuleInstallStep } from './install-plan.js';
import { KubeClient, waitForState } from './kube-client.js';
import { loadManifest, manifestObjects } from './manifests.js';
import { kindPreflight, preflightFailure } from './preflight.js';
import { configureNodeMirrors, ensureRegistry } from './registry.js';
import { pushBundleToRegistry } from './image-bundle.js';
import { ResourceSync } from './resource-sync.js';
import { attachedModules, connectCluster } from './attach.js';
import { istioTracing } from './telemetry-bridge.js';
import { ClusterServices } from './cluster-services.js';
import { CLUSTER_TELEMETRY_COMPONENT, startClusterTelemetry, type ClusterTelemetry } from './cluster-telemetry.js';
import type { Telemetry } from '../telemetry/index.js';

export interface KindRuntimeOptions {
  /** The runtime's own state dir; the cluster's kubeconfig is written here (0600). */
  stateDir: string;
  /** `$KYMA_LOCAL_HOME/cache`: kind binary, module manifests. */
  cacheDir: string;
  store: Store;
  types: readonly ResourceType[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Per module CR; Istio on a laptop can take minutes. */
  moduleTimeoutMs?: number;
  /** The daemon's telemetry stores: the cluster's traces, logs and metrics go here (cluster-telemetry.ts). */
  telemetry?: Telemetry;
}

/** A failure of `up` that already says what to do (preflight, kind, Docker); the daemon shows it as is. */
export class KindUpError extends Error {}

export function createKindRuntime(opts: KindRuntimeOptions & { attach?: boolean }): KindRuntime {
  return new KindRuntime(opts);
}

/**
 * The kind runtime: a kind cluster (created once, then stopped and started with its node containers), the real
 * Kyma modules from their pinned release manifests, and the daemon's resources mirrored onto it.
 */
export class KindRuntime implements Runtime {
  readonly kind: 'kind' | 'kubernetes';
  /**
   * The dev loop writes to the daemon's store like on the embedded runtime; the sync carries it to the cluster.
   * Functions and events reach the cluster through its API server's service proxy (cluster-services.ts).
   */
  readonly capabilities: RuntimeCapabilities;
  private phase: RuntimePhase = 'Stopped';
  private readonly components = new Map<string, ComponentStatus>();
  private profile: Profile | undefined;
  private startedAt: string | undefined;
  private client: KubeClient | undefined;
  private sync: ResourceSync | undefined;
  private docker: Docker | undefined;
  private readonly services: ClusterServices;
  private clusterTelemetry: ClusterTelemetry | undefined;

  /** `attach`: an existing cluster (runtime `kubernetes`) — the same code minus creating and installing. */
  constructor(private readonly opts: KindRuntimeOptions & { attach?: boolean }) {
    this.kind = opts.attach ? 'kubernetes' : 'kind';
    this.services = new ClusterServices({ store: opts.store, stateDir: opts.stateDir, log: opts.log.child({ component: 'cluster-services' }) });
    this.capabilities = { dev: { apply: (obj) => applyObject(opts.store, obj) }, ...this.services.capabilities };
  }

  private get env(): NodeJS.ProcessEnv {
    return this.opts.env ?? process.env;
  }

  get kubeconfigPath(): string {
    return join(this.opts.stateDir, 'kubeconfig');
  }

  private set(name: string, kind: ComponentStatus['kind'], state: ComponentState, message: string | undefined, onProgress: ProgressListener): void {
    this.components.set(name, { name, kind, state, ...(message ? { message } : {}) });
    onProgress({ component: name, state, ...(message ? { message } : {}) });
  }

  async up(profile: Profile, onProgress: ProgressListener): Promise<RuntimeStatus> {
    if (profile.runtime === 'kubernetes') return this.upAttached(profile, onProgress);
    if (!profile.kind) throw new KindUpError(`profile ${profile.name} has no spec.kind section`);
    this.profile = profile;
    this.phase = 'Starting';
    this.components.clear();
    try {
      const kindPath = await this.preflight(profile, onProgress);
      await this.ensureCluster(profile, kindPath, onProgress);
      this.client = new KubeClient({ kubeconfigPath: this.kubeconfigPath });
      await this.registry(profile, onProgress);
      await this.installModules(profile, onProgress);
      if (this.opts.telemetry) {
        await this.clusterTelemetry?.stop();
        this.clusterTelemetry = await startClusterTelemetry({ modules: profile.modules, port: profile.ports.otlp, docker: this.docker!, client: this.client, telemetry: this.opts.telemetry, log: this.opts.log.child({ component: CLUSTER_TELEMETRY_COMPONENT }), report: (state, msg) => this.set(CLUSTER_TELEMETRY_COMPONENT, 'process', state, msg, onProgress) });
      }
      return await this.connected(this.client, profile, { kubeconfig: this.kubeconfigPath }, 'kind-sync');
    } catch (err) {
      this.phase = this.afterFailure();
      await this.clusterTelemetry?.stop();
      this.clusterTelemetry = undefined;
      throw err;
    }
  }

  /** The cluster is reachable (created or attached): functions and events, the resource sync, then the phase. */
  private async connected(client: KubeClient, profile: Profile, kubeconfig: { kubeconfig?: string; context?: string }, syncComponent: string): Promise<RuntimeStatus> {
    await this.services.start(client, profile, kubeconfig);
    this.sync = new ResourceSync({ store: this.opts.store, client, types: this.opts.types, log: this.opts.log.child({ component: syncComponent }), ...this.services.syncHooks() });
    await this.sync.start();
    this.startedAt = new Date().toISOString();
    this.phase = [...this.components.values()].every((c) => c.state === 'Ready' || c.state === 'NotImplemented') ? 'Ready' : 'Degraded';
    return this.status();
  }

  /** Nothing created or started yet (preflight, kind missing): the runtime is just Stopped, with the reason shown. */
  private afterFailure(): RuntimePhase {
    return this.components.get('cluster')?.state === 'Ready' ? 'Failed' : 'Stopped';
  }

  private async upAttached(profile: Profile, onProgress: ProgressListener): Promise<RuntimeStatus> {
    this.profile = profile;
    this.phase = 'Starting';
    this.components.clear();
    try {
      this.set('cluster', 'process', 'Starting', 'connecting', onProgress);
      const { client, version } = await connectCluster(profile.kubernetes ?? {});
      this.client = client;
      this.set('cluster', 'process', 'Ready', `${client.server} (Kubernetes ${version}${profile.kubernetes?.context ? `, context ${profile.kubernetes.context}` : ''})`, onProgress);
      for (const m of await attachedModules(client, profile.modules)) this.set(m.module, 'module', m.state, m.message, onProgress);
      return await this.connected(client, profile, profile.kubernetes ?? {}, 'cluster-sync');
    } catch (err) {
      this.phase = this.afterFailure();
      if (this.components.get('cluster')?.state !== 'Ready') this.set('cluster', 'process', 'Failed', (err as Error).message, onProgress);
      throw err;
    }
  }

  /** Preflight, then the kind binary (downloaded and verified when absent). Fails fast with every fix named. */
  private async preflight(profile: Profile, onProgress: ProgressListener): Promise<string> {
    this.set('preflight', 'process', 'Starting', 'checking Docker and kind', onProgress);
    const checks = await kindPreflight({ profile, cacheDir: this.opts.cacheDir, ...(this.opts.env ? { env: this.opts.env } : {}) });
    const blocking = preflightFailure(checks);
    if (blocking) {
      this.set('preflight', 'process', 'Failed', blocking, onProgress);
      throw new KindUpError(blocking);
    }
    let kindPath = findKind(this.opts.cacheDir, this.opts.env)?.path;
    if (!kindPath) {
      this.set('preflight', 'process', 'Starting', 'kind not found; downloading the pinned release', onProgress);
      try {
        kindPath = (await downloadKind({ cacheDir: this.opts.cacheDir, ...(this.env.KYMA_LOCAL_KIND_BASE_URL ? { baseUrl: this.env.KYMA_LOCAL_KIND_BASE_URL } : {}) })).path;
      } catch (err) {
        const msg = `kind is not installed and could not be downloaded (${(err as Error).message.split(' — ')[0]}) — ${kindInstallHint(this.opts.cacheDir)}`;
        this.set('preflight', 'process', 'Failed', msg, onProgress);
        throw new KindUpError(msg);
      }
    }
    const warnings = checks.filter((c) => c.status === 'warn' && c.name !== 'kind').map((c) => `${c.name}: ${c.detail}`);
    this.set('preflight', 'process', 'Ready', warnings.join('; ') || undefined, onProgress);
    return kindPath;
  }

  /** Creates the cluster, or starts its stopped node containers (kind has no stop/start of its own). */
  private async ensureCluster(profile: Profile, kindPath: string, onProgress: ProgressListener): Promise<void> {
    const name = profile.kind!.clusterName;
    this.docker = dockerClient(this.opts.env ? { env: this.opts.env } : {});
    mkdirSync(this.opts.stateDir, { recursive: true });
    const nodes = await nodeContainers(this.docker, name);
    if (nodes.length === 0) {
      const node = await resolveNodeImage(this.docker, this.opts.cacheDir, pinNodeImage(profile.kind!.nodeImage));
      this.set('cluster', 'process', 'Starting', `creating kind cluster ${name}; ${node.reason}`, onProgress);
      await createCluster({
        kindPath,
        name,
        configYaml: kindConfigYaml(profile.kind!, node.image),
        kubeconfigPath: this.kubeconfigPath,
        onProgress: (p) => this.set('cluster', 'process', 'Starting', `${p.line}${p.done ? ' ✓' : ''}`, onProgress),
        onLine: (line) => this.opts.log.info(`kind: ${line}`),
        ...(this.opts.env ? { env: this.opts.env } : {}),
      });
    } else {
      const started = await startNodes(this.docker, name);
      if (started.length > 0) this.set('cluster', 'process', 'Starting', `started ${started.join(', ')}`, onProgress);
    }
    if (!existsSync(this.kubeconfigPath) || nodes.length > 0) {
      writeFileSync(this.kubeconfigPath, await getKubeconfig({ kindPath, name, ...(this.opts.env ? { env: this.opts.env } : {}) }), { mode: 0o600 });
    }
    chmodSync(this.kubeconfigPath, 0o600);
    this.set('cluster', 'process', 'Ready', `kind cluster ${name} (context kind-${name})`, onProgress);
  }

  /** The local registry and its containerd mirrors: optional (offline use), so a failure degrades, not fails. */
  private async registry(profile: Profile, onProgress: ProgressListener): Promise<void> {
    try {
      const reg = await ensureRegistry(this.docker!, profile.kind!.registryImage ? { image: profile.kind!.registryImage } : {});
      await configureNodeMirrors(this.docker!, profile.kind!.clusterName);
      await this.client!.apply(localRegistryHostingConfigMap() as never);
      // Images Docker has (from `kyma-local images load`) go into the registry: an offline cluster pulls them there.
      const offline = await pushBundleToRegistry(this.docker!, profile, { onProgress: (m) => this.set('registry', 'process', 'Starting', m, onProgress) }).then(
        (pushed) => (pushed.length > 0 ? `; ${pushed.length} image(s) from Docker pushed into it` : ''),
        (err: Error) => `; pushing images from Docker failed: ${err.message}`,
      );
      this.set('registry', 'process', 'Ready', `${reg.name} on 127.0.0.1:5001${offline}`, onProgress);
    } catch (err) {
      this.set('registry', 'process', 'Failed', `${(err as Error).message} (images are pulled from their registries instead)`, onProgress);
    }
  }

  private async installModules(profile: Profile, onProgress: ProgressListener): Promise<void> {
    const plan = installPlan({ modules: profile.modules, eventStreamMaxBytes: profile.limits.eventStreamMaxBytes });
    const client = this.client!;
    for (const s of plan.skipped) this.set(s.module, 'module', 'NotImplemented', s.reason, onProgress);
    if (plan.steps.length === 0) return;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: plan.namespace, ...(plan.steps.some((s) => s.module === 'istio') ? { labels: { 'istio-injection': 'enabled' } } : {}) } });
    for (const step of plan.steps) await this.installModule(step, onProgress);
    // Istio's mesh-wide tracing at 100 % for development; the pipelines follow in startClusterTelemetry.
    if (profile.modules.includes('telemetry') && plan.steps.some((s) => s.module === 'istio')) await client.apply(istioTracing() as never);
  }

  private async installModule(step: ModuleInstallStep, onProgress: ProgressListener): Promise<void> {
    const client = this.client!;
    const report = (state: ComponentState, msg?: string): void => this.set(step.module, 'module', state, msg, onProgress);
    report('Starting', `applying ${step.manifestFile}`);
    const text = await loadManifest(step, this.opts.cacheDir, this.profile?.kind?.imageArchives ? { bundleDir: this.profile.kind.imageArchives } : {});
    for (const obj of manifestObjects(text, step.manifestFile)) await client.apply(obj);
    // The CRD was just created: its API may take a moment to be served.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await client.apply(crObject(step.cr) as never);
        break;
      } catch (err) {
        if (Date.now() > deadline || (err as { code?: number }).code !== 404) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    try {
      await waitForState(client, step.cr, {
        readyStates: step.cr.readyStates,
        timeoutMs: this.opts.moduleTimeoutMs ?? 600_000,
        onState: (state, message) => report('Starting', `${state ?? 'no state yet'}${message ? `: ${message}` : ''}`),
      });
    } catch (err) {
      report('Failed', (err as Error).message);
      throw err;
    }
    report('Ready', `${step.module} ${step.version}`);
  }

  /** Stops the node containers (data kept); `up` starts them again. */
  async down(onProgress: ProgressListener = () => {}): Promise<void> {
    this.sync?.stop();
    this.sync = undefined;
    await this.services.stop();
    await this.clusterTelemetry?.stop();
    this.clusterTelemetry = undefined;
    // Never stop someone else's cluster: an attached cluster is only let go.
    if (this.opts.attach || !this.profile?.kind || !this.docker) {
      this.phase = 'Stopped';
      return;
    }
    this.phase = 'Stopping';
    this.set('cluster', 'process', 'Stopping', 'stopping the node containers', onProgress);
    const stopped = await stopNodes(this.docker, this.profile.kind.clusterName);
    this.set('cluster', 'process', 'Stopped', stopped.length > 0 ? `stopped ${stopped.join(', ')}` : undefined, onProgress);
    this.phase = 'Stopped';
  }

  status(): RuntimeStatus {
    return {
      runtime: this.kind,
      ...(this.profile ? { profile: this.profile.name, profileSource: this.profile.source } : {}),
      phase: this.phase,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      components: [...this.components.values()],
      notes: this.opts.attach ? [`kubeconfig: ${this.profile?.kubernetes?.kubeconfig ?? '$KUBECONFIG or ~/.kube/config'}`] : [`kubeconfig: ${this.kubeconfigPath}`],
    };
  }

  /** Writes go to the daemon's store, the one source of truth; the sync server-side applies them to the cluster. */
  async apply(obj: KubeObject): Promise<KubeObject> {
    return (await applyObject(this.opts.store, obj)).object;
  }

  async delete(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    await deleteObject(this.opts.store, obj);
  }

  /** Changes as the daemon sees them: the store, into which the cluster's status is copied. */
  watch(listener: (change: ResourceChange) => void): () => void {
    return watchObjects(this.opts.store, listener);
  }
}
