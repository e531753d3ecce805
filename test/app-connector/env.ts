import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAppConnectorModule, createServiceRegistry, type AppConnectorModule, type AppConnectorModuleOptions, type ModuleContext, type Supervisor } from '../../main/core/embedded/index.js';
import { RESOURCE_TYPES, silentLogger, type KubeObject } from '../../main/core/model/index.js';
import type { Profile } from '../../main/core/profiles/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';

const noSupervisor: Supervisor = {
  start: () => Promise.reject(new Error('application-connector tests do not use the supervisor')),
  get: () => undefined,
  list: () => [],
  stopAll: () => Promise.resolve(),
};

const profile: Profile = {
  name: 'test',
  description: 'application-connector test profile',
  source: '/dev/null',
  runtime: 'embedded',
  modules: ['application-connector'],
  ports: { nats: 0, gateway: 0, publisher: 0, otlp: 0 },
  limits: { maxReplicas: 3, eventStreamMaxBytes: 64 * 1024 * 1024, requestBodyMb: 1 },
  retention: { traces: 100, logs: 100, metricPoints: 100, events: 100, keepStateOnDown: true },
  eventing: { retryInitialMs: 50, retryMaxMs: 200, maxDeliver: 5 },
};

export interface ConnectorEnv {
  dir: string;
  store: FileStore;
  ctx: ModuleContext;
  module: AppConnectorModule;
  /** The host URL of the 8080-style gateway listener. */
  gateway: string;
  apply(...objs: Array<Record<string, unknown>>): Promise<void>;
  cleanup(): Promise<void>;
}

/** The application-connector module alone, on a real file store, with its real listeners on loopback. */
export async function startConnector(opts: AppConnectorModuleOptions = {}): Promise<ConnectorEnv> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kl-appconn-'));
  const store = await createFileStore({ dir: path.join(dir, 'store'), types: RESOURCE_TYPES });
  const ctx: ModuleContext = {
    profile,
    stateDir: dir,
    store,
    supervisor: noSupervisor,
    natsUrl: 'nats://127.0.0.1:1',
    log: silentLogger,
    endpoints: new Map(),
    services: createServiceRegistry(),
  };
  const module = createAppConnectorModule(opts);
  await module.start(ctx);
  return {
    dir,
    store,
    ctx,
    module,
    gateway: ctx.endpoints.get('application-gateway')!,
    async apply(...objs) {
      for (const o of objs) {
        const obj = o as KubeObject;
        const existing = obj.kind === 'Application' ? store.find(RESOURCE_TYPES.find((t) => t.kind === 'Application')!, undefined, obj.metadata.name) : undefined;
        if (existing) await store.update({ ...obj, metadata: { ...obj.metadata } });
        else await store.create(obj);
      }
      await module.api.settled();
    },
    async cleanup() {
      await module.stop();
      await store.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
