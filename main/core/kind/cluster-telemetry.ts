import type Docker from 'dockerode';
import type { Logger } from '../model/index.js';
import type { ComponentState } from '../runtime.js';
import type { Telemetry } from '../telemetry/index.js';
import type { KubeClient } from './kube-client.js';
import { startOtlpBridge, type OtlpBridge } from './otlp-bridge.js';
import { PodLogFollower } from './pod-logs.js';
import { bridgeTokenSecret, telemetryPipelines } from './telemetry-bridge.js';

/** The component `status` shows for the way cluster telemetry reaches the daemon. */
export const CLUSTER_TELEMETRY_COMPONENT = 'cluster-telemetry';

export interface ClusterTelemetryOptions {
  modules: readonly string[];
  docker: Docker;
  client: KubeClient;
  telemetry: Telemetry;
  log: Logger;
  /** Docker network the cluster's node is on (default `kind`). */
  network?: string;
  /**
   * The bridge's port (the profile's `ports.otlp`, 4318 by default): a fixed port keeps the pipelines' endpoint
   * the same across `up`s and lets a host firewall allow it; taken, or 0, means a free one.
   */
  port?: number;
  report: (state: ComponentState, message: string) => void;
}

export interface ClusterTelemetry {
  /** The bridge, when the telemetry module carries the cluster's signals. */
  bridge?: OtlpBridge;
  stop(): Promise<void>;
}

/**
 * Connects the cluster's telemetry to the daemon's stores, called by `up` once the modules are Ready:
 * - with the telemetry module: the bridge listener (otlp-bridge.ts), then the token Secret and the Trace/Log/
 *   MetricPipelines pointing at it — traces, logs and metrics of the whole cluster;
 * - without it: the Function pods' log streams (pod-logs.ts) — logs only, no traces or metrics.
 * Telemetry is an aid, not the cluster: a failure is reported on the component and `up` goes on (Degraded).
 */
export async function startClusterTelemetry(opts: ClusterTelemetryOptions): Promise<ClusterTelemetry | undefined> {
  if (!opts.modules.includes('telemetry')) return followPodLogs(opts);
  opts.report('Starting', 'starting the telemetry bridge on the kind network');
  let bridge: OtlpBridge | undefined;
  try {
    const bridgeOpts = { docker: opts.docker, telemetry: opts.telemetry, ...(opts.network ? { network: opts.network } : {}) };
    try {
      bridge = await startOtlpBridge({ ...bridgeOpts, port: opts.port ?? 0 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      opts.log.warn(`${(err as Error).message}; the telemetry bridge takes a free port instead`);
      bridge = await startOtlpBridge({ ...bridgeOpts, port: 0 });
    }
    // The Secret first: a pipeline whose secretKeyRef does not resolve is not deployed by the telemetry manager.
    await opts.client.apply(bridgeTokenSecret(bridge.token));
    for (const pipeline of telemetryPipelines({ endpoint: bridge.endpoint })) await opts.client.apply(pipeline);
  } catch (err) {
    await bridge?.close();
    opts.report('Failed', `cluster telemetry is not shown: ${(err as Error).message}`);
    return undefined;
  }
  opts.report('Ready', `Trace/Log/MetricPipelines kyma-local → ${bridge.endpoint} (kind network only, bearer token required)`);
  const open = bridge;
  return { bridge: open, stop: () => open.close() };
}

async function followPodLogs(opts: ClusterTelemetryOptions): Promise<ClusterTelemetry | undefined> {
  const follower = new PodLogFollower({ client: opts.client, telemetry: opts.telemetry, log: opts.log });
  try {
    await follower.start();
  } catch (err) {
    follower.stop();
    opts.report('Failed', `function logs are not shown: ${(err as Error).message}`);
    return undefined;
  }
  opts.report('Ready', 'function pod logs (no telemetry module: traces and metrics are not collected)');
  return {
    stop: async () => follower.stop(),
  };
}
