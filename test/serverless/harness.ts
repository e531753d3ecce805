// A serverless module on a real store, supervisor and service registry, without nats or the daemon.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleContext } from '../../main/core/embedded/module.js';
import { createServerlessModule, type ServerlessModule, type ServerlessModuleOptions } from '../../main/core/embedded/serverless/index.js';
import { createServiceRegistry } from '../../main/core/embedded/services/index.js';
import { createSupervisor, type Supervisor } from '../../main/core/embedded/supervisor/index.js';
import { CONFIGMAP, FUNCTION, SECRET, silentLogger, type Condition, type KubeObject } from '../../main/core/model/index.js';
import type { Profile } from '../../main/core/profiles/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { ensureBuilt as ensureRuntimeBuilt, SERVER_ENTRY } from '../function-runtime/worker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PRELOAD_SRC = path.join(ROOT, 'main/core/embedded/serverless/worker-preload.ts');
export const PRELOAD = path.join(ROOT, 'dist/main/core/embedded/serverless/worker-preload.js');

/** Compiles the function runtime and the preload into dist/ when stale (only those files). */
export async function ensureBuilt(): Promise<void> {
  await ensureRuntimeBuilt();
  const stale = (() => {
    try {
      return statSync(PRELOAD).mtimeMs < statSync(PRELOAD_SRC).mtimeMs;
    } catch {
      return true;
    }
  })();
  if (stale) execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'test/serverless/tsconfig.build.json')], { stdio: 'inherit' });
}

const profile: Profile = {
  name: 'test',
  description: 'serverless tests',
  source: '/dev/null',
  runtime: 'embedded',
  modules: ['serverless'],
  ports: { nats: 0, gateway: 0, publisher: 0, otlp: 0 },
  limits: { maxReplicas: 5, eventStreamMaxBytes: 1 << 20, requestBodyMb: 1 },
  retention: { traces: 10, logs: 10, metricPoints: 10, events: 10, keepStateOnDown: false },
  eventing: { retryInitialMs: 100, retryMaxMs: 1000, maxDeliver: 3 },
};

export interface Harness {
  dir: string;
  stateDir: string;
  store: FileStore;
  supervisor: Supervisor;
  ctx: ModuleContext;
  module: ServerlessModule;
  /** Creates or replaces a Function (spec given), returns once the controller has settled. */
  apply(name: string, spec: Record<string, unknown>, opts?: { namespace?: string; annotations?: Record<string, string> }): Promise<KubeObject>;
  fn(name: string, namespace?: string): KubeObject;
  condition(name: string, type: string, namespace?: string): Condition | undefined;
  /** GET/POST through the mesh with Host <name>.<ns>.svc.cluster.local. */
  invoke(name: string, init?: { method?: string; body?: string; path?: string; namespace?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string }>;
  secret(name: string, data: Record<string, string>, namespace?: string): Promise<void>;
  configMap(name: string, data: Record<string, string>, namespace?: string): Promise<void>;
  /** Polls `check` until it returns true (event-driven where we can, polling a cheap in-memory view otherwise). */
  until(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(opts: ServerlessModuleOptions = {}): Promise<Harness> {
  await ensureBuilt();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kl-serverless-'));
  const stateDir = path.join(dir, 'clusters', 'test');
  const store = await createFileStore({ dir: path.join(stateDir, 'resources'), types: [FUNCTION, SECRET, CONFIGMAP] });
  const supervisor = createSupervisor({ stateDir, log: silentLogger });
  const ctx: ModuleContext = {
    profile,
    stateDir,
    store,
    supervisor,
    natsUrl: 'nats://127.0.0.1:1',
    log: silentLogger,
    endpoints: new Map(),
    services: createServiceRegistry(),
  };
  const module = createServerlessModule({ workerEntry: SERVER_ENTRY, preloadPath: PRELOAD, startTimeoutMs: 10_000, ...opts });
  await module.start(ctx);
  const h: Harness = {
    dir,
    stateDir,
    store,
    supervisor,
    ctx,
    module,
    async apply(name, spec, o = {}) {
      const namespace = o.namespace ?? 'default';
      const existing = store.find(FUNCTION, namespace, name);
      const obj: KubeObject = {
        apiVersion: 'serverless.kyma-project.io/v1alpha2',
        kind: 'Function',
        metadata: { name, namespace, ...(o.annotations ? { annotations: o.annotations } : {}) },
        spec,
      };
      const saved = existing ? await store.update(obj) : await store.create(obj);
      await h.module.api.settled(namespace, name);
      return saved;
    },
    fn: (name, namespace = 'default') => store.get(FUNCTION, namespace, name),
    condition(name, type, namespace = 'default') {
      const conds = store.get(FUNCTION, namespace, name).status?.conditions as Condition[] | undefined;
      return conds?.find((c) => c.type === type);
    },
    async invoke(name, init = {}) {
      const { url, host } = h.module.api.functionUrl(init.namespace ?? 'default', name);
      const res = await fetchViaHost(url + (init.path ?? '/'), host, init);
      return res;
    },
    async secret(name, data, namespace = 'default') {
      const obj: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: data };
      if (store.find(SECRET, namespace, name)) await store.update(obj);
      else await store.create(obj);
    },
    async configMap(name, data, namespace = 'default') {
      const obj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
      if (store.find(CONFIGMAP, namespace, name)) await store.update(obj);
      else await store.create(obj);
    },
    async until(check, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await h.module.stop();
      await supervisor.stopAll();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

const agent = new http.Agent({ keepAlive: true });

/** One HTTP request to the mesh with an explicit Host header (fetch forbids setting Host). */
export function fetchViaHost(url: string, host: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', agent, headers: { host, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export const nodeSpec = (source: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  runtime: 'nodejs20',
  source: { inline: { source } },
  ...extra,
});
