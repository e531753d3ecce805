import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BROKERS_GROUP, SECRET, SERVICE_BROKER, type KubeObject } from '../../model/index.js';
import type { ComponentState, ComponentStatus } from '../../runtime.js';
import type { Store } from '../../store/index.js';
import type { EmbeddedModule, ModuleContext } from '../module.js';
import { LOCAL_BROKER } from './broker-registry.js';
import { BuiltinBroker } from './builtin-broker.js';
import { ServiceCatalogController } from './controller.js';
import { natsKvOffering } from './offering-nats-kv.js';
import { postgresqlOffering } from './offering-postgresql.js';
import { findRedisServer, redisOffering } from './offering-redis.js';
import { startOsbServer, type OsbServer } from './osb-server.js';

export interface ServiceCatalogModuleOptions {
  /** The compiled pg-server.js (default: beside this module in dist/). For tests run from sources. */
  pgServerEntry?: string;
  /** redis-server path; null pretends it is not installed (tests of the "unavailable" plan). */
  redisServer?: string | null;
  pollIntervalMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface ServiceCatalogModule extends EmbeddedModule {
  /** The built-in broker's base URL once started. */
  readonly brokerUrl: string | undefined;
}

/** Where the built-in broker's basic-auth credentials are published for OSB tools (and the controller). */
export const LOCAL_BROKER_SECRET = { namespace: 'kyma-system', name: 'local-service-broker' };

async function brokerPassword(dir: string): Promise<string> {
  const file = path.join(dir, 'broker-password');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim()) return existing.trim();
  const pw = randomBytes(24).toString('base64url');
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${pw}\n`, { mode: 0o600 });
  return pw;
}

async function upsert(store: Store, obj: KubeObject): Promise<void> {
  const type = obj.kind === 'Secret' ? SECRET : SERVICE_BROKER;
  if (store.find(type, obj.metadata.namespace, obj.metadata.name)) await store.update(obj);
  else await store.create(obj);
}

/**
 * Service consumption (Kyma's btp-operator module, locally): the built-in OSB broker on loopback (postgresql,
 * redis, nats-kv), registered as ServiceBroker "local", and the controller for ServiceInstance/ServiceBinding.
 */
export function createServiceCatalogModule(opts: ServiceCatalogModuleOptions = {}): ServiceCatalogModule {
  let state: ComponentState = 'Stopped';
  let message: string | undefined;
  let server: OsbServer | undefined;
  let broker: BuiltinBroker | undefined;
  let controller: ServiceCatalogController | undefined;
  return {
    name: 'btp-operator',
    get brokerUrl() {
      return server?.url;
    },
    async start(ctx: ModuleContext) {
      state = 'Starting';
      const dir = path.join(ctx.stateDir, 'services');
      const log = ctx.log;
      const redis = opts.redisServer === null ? undefined : (opts.redisServer ?? findRedisServer());
      broker = new BuiltinBroker({
        offerings: [postgresqlOffering(opts.pgServerEntry), redisOffering(redis), natsKvOffering(() => ctx.natsUrl)],
        dir,
        ctx: { supervisor: ctx.supervisor, natsUrl: ctx.natsUrl, log },
        log,
      });
      await broker.resume();
      const username = 'kyma-local';
      const password = await brokerPassword(dir);
      server = await startOsbServer({ backend: broker, username, password, port: ctx.profile.ports.broker, log });
      ctx.endpoints.set('broker', server.url);
      await upsert(ctx.store, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { ...LOCAL_BROKER_SECRET },
        type: 'Opaque',
        stringData: { username, password, url: server.url },
      });
      await upsert(ctx.store, {
        apiVersion: `${BROKERS_GROUP}/v1alpha1`,
        kind: 'ServiceBroker',
        metadata: { name: LOCAL_BROKER, labels: { 'app.kubernetes.io/managed-by': 'kyma-local' } },
        spec: { url: server.url, description: 'The built-in broker: postgresql (PGlite), redis, nats-kv', credentialsSecretRef: { ...LOCAL_BROKER_SECRET } },
      });
      controller = new ServiceCatalogController({
        store: ctx.store,
        log,
        ...(opts.pollIntervalMs !== undefined ? { pollIntervalMs: opts.pollIntervalMs } : {}),
        ...(opts.retryInitialMs !== undefined ? { retryInitialMs: opts.retryInitialMs } : {}),
        ...(opts.retryMaxMs !== undefined ? { retryMaxMs: opts.retryMaxMs } : {}),
      });
      controller.start();
      state = 'Ready';
      message = `OSB broker ${server.url}`;
    },
    async stop() {
      state = 'Stopping';
      await controller?.stop();
      await server?.close();
      await broker?.stopAll();
      controller = undefined;
      server = undefined;
      state = 'Stopped';
      message = undefined;
    },
    status(): ComponentStatus {
      return {
        name: 'btp-operator',
        kind: 'module',
        state,
        ...(message ? { message } : {}),
        ...(server ? { ports: { broker: server.port }, urls: { broker: server.url } } : {}),
      };
    },
  };
}
