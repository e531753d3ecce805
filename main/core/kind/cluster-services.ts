import { join } from 'node:path';
import { ApiError, type Logger } from '../model/index.js';
import type { Profile } from '../profiles/index.js';
import type { Store } from '../store/index.js';
import type { Capability, EventsCapability, FunctionsCapability, RuntimeCapabilities } from '../runtime.js';
import { ClusterEvents } from './cluster-events.js';
import { ClusterFunctions } from './cluster-functions.js';
import { startClusterProxy, type ClusterProxy } from './cluster-proxy.js';
import type { KubeClient } from './kube-client.js';
import type { SyncOptions } from './resource-sync.js';

export interface ClusterServicesOptions {
  store: Store;
  /** The runtime's state dir: function revision histories live under it. */
  stateDir: string;
  log: Logger;
}

/**
 * What the kind runtime offers beyond resources, on any cluster it reaches by kubeconfig: functions (invoke through
 * the cluster proxy, revisions judged by the cluster's status, rollback) and events (publish through the cluster's
 * publisher proxy, an inspector of what Kyma Local published). Started once the cluster is reachable, stopped by down.
 */
export class ClusterServices {
  readonly capabilities: Pick<RuntimeCapabilities, 'functions' | 'events'>;
  private proxy: ClusterProxy | undefined;
  private client: KubeClient | undefined;
  private kubectl = 'kubectl';
  private limits = { events: 10_000, eventBytes: 64 * 1024 * 1024 };
  private readonly functions: ClusterFunctions;
  private readonly events: ClusterEvents;

  constructor(private readonly opts: ClusterServicesOptions) {
    this.functions = new ClusterFunctions({
      store: opts.store,
      dir: join(opts.stateDir, 'functions'),
      log: opts.log,
      proxy: () => this.proxy,
      kubectl: () => this.kubectl,
      server: () => this.client?.server ?? '',
    });
    this.events = new ClusterEvents({ proxy: () => this.proxy, limits: () => this.limits });
    const whileUp = <T>(api: T, what: string): Capability<T> => ({
      get: () => {
        if (!this.proxy) throw new ApiError(503, 'ServiceUnavailable', `${what} need the cluster — run \`kyma-local up\``);
        return api;
      },
    });
    this.capabilities = { functions: whileUp<FunctionsCapability>(this.functions, 'functions'), events: whileUp<EventsCapability>(this.events, 'events') };
  }

  /** Starts the loopback proxy to the cluster's Services and reads the kept revision histories. */
  async start(client: KubeClient, profile: Profile, kubeconfig: { kubeconfig?: string; context?: string }): Promise<void> {
    await this.stop();
    this.client = client;
    this.kubectl = `kubectl${kubeconfig.kubeconfig ? ` --kubeconfig ${kubeconfig.kubeconfig}` : ''}${kubeconfig.context ? ` --context ${kubeconfig.context}` : ''}`;
    this.limits = { events: profile.retention.events, eventBytes: profile.retention.eventBytes };
    this.functions.load();
    this.proxy = await startClusterProxy(client.config, this.opts.log.child({ component: 'cluster-proxy' }));
  }

  /** The sync's hooks: every Function spec it applies and every Function status it sees. */
  syncHooks(): Pick<SyncOptions, 'onPushed' | 'onStatus'> {
    return {
      onPushed: (type, local, remote, sentAt) => {
        try {
          this.functions.pushed(type, local, remote, sentAt);
        } catch (err) {
          this.opts.log.warn(`Could not record a revision of ${local.metadata.namespace}/${local.metadata.name}: ${(err as Error).message}`);
        }
      },
      onStatus: (type, remote) => {
        if (type.kind === 'Function') this.functions.observed(remote);
      },
    };
  }

  async stop(): Promise<void> {
    const p = this.proxy;
    this.proxy = undefined;
    await p?.close();
  }
}
