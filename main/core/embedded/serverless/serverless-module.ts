import { StandbyPool } from './standby-pool.js';
import { FUNCTION, isRecord } from '../../model/index.js';
import type { ComponentState, ComponentStatus } from '../../runtime.js';
import type { EmbeddedModule, ModuleContext, ServiceRegistry } from '../module.js';
import { ServerlessController } from './controller.js';
import type { FnState } from './function-state.js';
import { readRevisionCode } from './materialize.js';
import { recordRequest, UsageSampler, type MetricRecorder } from './function-metrics.js';
import { startMeshProxy, type MeshProxy } from './mesh-proxy.js';
import { parseServiceHost } from '../services/index.js';
import { readyCount } from './status.js';
import { removeWorkerSocketDir, workerSocketDir } from './worker-socket.js';
import type { DebugSession, FunctionDetails, ServerlessApi } from './types.js';
import net from 'node:net';

export interface ServerlessModuleOptions {
  /** How long a new revision's workers may take to answer /healthz (default 10 000 ms). */
  startTimeoutMs?: number;
  /** Extra `npm install` flags, e.g. ['--offline'] on an air-gapped machine. */
  npmFlags?: string[];
  /** Every worker output line, for logs/telemetry (`worker` is `fn/<ns>/<name>/r<N>/<i>`). */
  /** The compiled function server entry (default: functionServerEntry(), i.e. dist/). For tests run from sources. */
  workerEntry?: string;
  /** The compiled worker-preload.js (default: beside this module in dist/). For tests run from sources. */
  preloadPath?: string;
  onWorkerLine?: (line: string, stream: 'stdout' | 'stderr', worker: string) => void;
  /** Keep a pre-started worker ready for the next revision (default true); false starts every worker cold. */
  standby?: boolean;
  /** Where per-function metrics go (requests, errors, latency, replicas, RSS, CPU); none recorded without it. */
  metrics?: MetricRecorder;
  /** How often replicas, RSS and CPU are sampled (default 5 000 ms). */
  metricsIntervalMs?: number;
}

export type ServerlessModule = EmbeddedModule & { readonly api: ServerlessApi };

function details(st: FnState): FunctionDetails {
  const workers = (st.serving?.workers ?? []).map((w) => {
    const s = w.proc.status();
    return { name: w.name, replica: w.replica, address: `unix:${w.socketPath}`, state: s.state, restarts: s.restarts, ...(s.pid !== undefined ? { pid: s.pid } : {}) };
  });
  return {
    namespace: st.namespace,
    name: st.name,
    ...(st.serving ? { currentRevision: st.serving.revision } : {}),
    desiredReplicas: st.desired,
    readyReplicas: readyCount(st.serving?.workers),
    workers,
    ...(st.lastError ? { lastError: { ...st.lastError } } : {}),
    stateDir: st.dir,
  };
}

function withAccess(d: FunctionDetails, meshUrl: string | undefined): FunctionDetails {
  if (!meshUrl) return d;
  const hostHeader = `${d.name}.${d.namespace}.svc.cluster.local`;
  return { ...d, access: { inCluster: `http://${hostHeader}`, hostUrl: meshUrl, hostHeader, curl: `curl -H 'Host: ${hostHeader}' ${meshUrl}/` } };
}

/** The embedded serverless module: Functions → revisions → worker processes, plus the local service mesh. */
export function createServerlessModule(opts: ServerlessModuleOptions = {}): ServerlessModule {
  let state: ComponentState = 'Stopped';
  let message: string | undefined;
  let controller: ServerlessController | undefined;
  let mesh: MeshProxy | undefined;
  let unobserve: (() => void) | undefined;
  let standby: StandbyPool | undefined;
  let socketDir: string | undefined;
  let stateDir: string | undefined;
  let sampler: UsageSampler | undefined;
  let endpoints: Map<string, string> | undefined;
  let services: ServiceRegistry | undefined;

  const need = (): ServerlessController => {
    if (!controller) throw new Error('The serverless module is not running; start the cluster first (kyma-local up)');
    return controller;
  };

  const api: ServerlessApi = {
    revisions(ns, name) {
      return need().states.get(`${ns}/${name}`)?.history.list() ?? [];
    },
    async rollback(ns, name, toRevision) {
      const c = need();
      const fn = c.store.find(FUNCTION, ns, name);
      if (!fn) throw new Error(`Function ${ns}/${name} not found`);
      await c.settled(ns, name);
      const st = await c.state(ns, name);
      const good = st.history.list().filter((r) => r.outcome !== 'failed' && r.outcome !== 'pending' && r.readyAt);
      const current = st.serving?.revision;
      const target = toRevision ?? [...good].reverse().find((r) => r.number !== current)?.number;
      if (target === undefined) throw new Error(`Function ${ns}/${name} has no earlier good revision to roll back to`);
      if (!good.some((r) => r.number === target)) {
        throw new Error(`Revision ${target} of ${ns}/${name} cannot be rolled back to: it is not a revision that became ready (good ones: ${good.map((r) => r.number).join(', ') || 'none'})`);
      }
      const code = await readRevisionCode(st.history.revDir(target)).catch(() => {
        throw new Error(`The files of revision ${target} of ${ns}/${name} are gone from ${st.history.revDir(target)}`);
      });
      const before = st.history.list().at(-1)?.number ?? 0;
      st.pendingRollback = target;
      st.seenAt = Date.now();
      // The spec takes the old code so that the store, kubectl and a daemon restart agree with what serves.
      const inline = isRecord(fn.spec?.source) && isRecord(fn.spec.source.inline) ? fn.spec.source.inline : {};
      const patch = { spec: { source: { inline: { ...inline, source: code.source, dependencies: code.dependencies || null } } } };
      await c.store.patch(FUNCTION, ns, name, patch, 'merge');
      await c.enqueue(ns, name);
      await c.settled(ns, name);
      const made = st.history.list().find((r) => r.number > before && r.rollbackOf === target);
      if (!made) throw new Error(`Rollback of ${ns}/${name} to revision ${target} made no revision; check the Function's status`);
      return made;
    },
    functionUrl(ns, name) {
      if (!mesh) throw new Error('The serverless module is not running; start the cluster first (kyma-local up)');
      return { url: mesh.url, host: `${name}.${ns}.svc.cluster.local`, trustHeaders: mesh.trustHeaders };
    },
    serviceUrl(ns, name) {
      // The mesh routes every registered service: Functions and the platform's own (eventing-publisher-proxy.kyma-system).
      // A Function with no ready replica is still a Service (the mesh answers 503, like a Service without endpoints).
      if (!mesh || !(services?.names().includes(`${name}.${ns}`) || controller?.states.has(`${ns}/${name}`))) return undefined;
      return { url: mesh.url, host: `${name}.${ns}.svc.cluster.local`, trustHeaders: mesh.trustHeaders };
    },
    workerPids() {
      return (controller?.workers.workers() ?? []).flatMap((w) => {
        const pid = w.proc.status().pid;
        return pid === undefined ? [] : [pid];
      });
    },
    details(ns, name) {
      const st = controller?.states.get(`${ns}/${name}`);
      return st ? withAccess(details(st), mesh?.url) : undefined;
    },
    list() {
      return [...(controller?.states.values() ?? [])].map((st) => withAccess(details(st), mesh?.url));
    },
    settled(ns, name) {
      return controller ? controller.settled(ns, name) : Promise.resolve();
    },
    async debug(ns, name, debugOpts) {
      const c = need();
      if (!c.store.find(FUNCTION, ns, name)) throw new Error(`Function ${ns}/${name} not found`);
      await c.settled(ns, name);
      const st = await c.state(ns, name);
      if (debugOpts) await checkDebugPort(debugOpts.port, st, c.states.values());
      st.debug = debugOpts;
      await c.enqueue(ns, name);
      await c.settled(ns, name);
      if (!debugOpts) return undefined;
      const session = debugSession(st);
      if (!session) throw new Error(`Function ${ns}/${name} did not start for debugging: ${st.lastError?.message ?? st.configCond.message}`);
      return session;
    },
    debugSession(ns, name) {
      const st = controller?.states.get(`${ns}/${name}`);
      return st ? debugSession(st) : undefined;
    },
  };

  return {
    name: 'serverless',
    api,
    async start(ctx: ModuleContext) {
      state = 'Starting';
      const log = ctx.log.child({ component: 'serverless' });
      try {
        const metrics = opts.metrics;
        // Only Functions count: the mesh also routes to platform services (publisher proxy, OTLP receiver).
        const onRequest = (host: string, ms: number, _status: number, failed: boolean): void => {
          const svc = parseServiceHost(host);
          if (svc && metrics && controller?.states.has(`${svc.namespace}/${svc.name}`)) recordRequest(metrics, svc, ms, failed);
        };
        mesh = await startMeshProxy(ctx.services, log, metrics ? { onRequest } : {});
        // Event deliveries go straight to a replica (no mesh hop) and report here, so they count too.
        unobserve = metrics ? ctx.services.onRequest(onRequest) : undefined;
        ctx.endpoints.set('mesh', mesh.url);
        endpoints = ctx.endpoints;
        services = ctx.services;
        controller = new ServerlessController(
          ctx,
          {
            meshPort: mesh.port,
            socketDir: (socketDir = workerSocketDir((stateDir = ctx.stateDir))),
            startTimeoutMs: opts.startTimeoutMs ?? 10_000,
            npmFlags: opts.npmFlags ?? [],
            ...(opts.onWorkerLine ? { onWorkerLine: opts.onWorkerLine } : {}),
            ...(opts.standby === false ? {} : { standby: (standby = new StandbyPool()) }),
            ...(opts.workerEntry ? { workerEntry: opts.workerEntry } : {}),
            ...(opts.preloadPath ? { preloadPath: opts.preloadPath } : {}),
          },
          log,
        );
        controller.start();
        if (metrics) {
          sampler = new UsageSampler(metrics, () => api.list(), opts.metricsIntervalMs);
          sampler.start();
        }
        state = 'Ready';
        message = `mesh on ${mesh.url}`;
      } catch (err) {
        state = 'Failed';
        message = `Serverless failed to start: ${(err as Error).message}`;
        throw new Error(message);
      }
    },
    async stop() {
      state = 'Stopping';
      sampler?.stop();
      sampler = undefined;
      unobserve?.();
      unobserve = undefined;
      await controller?.stop();
      controller = undefined;
      standby?.close();
      standby = undefined;
      // Eventing looks the mesh up per delivery; a stale URL would refuse every call to a platform service.
      if (endpoints?.get('mesh') === mesh?.url) endpoints?.delete('mesh');
      await mesh?.close();
      mesh = undefined;
      if (socketDir !== undefined) removeWorkerSocketDir(socketDir, stateDir ?? '');
      socketDir = undefined;
      state = 'Stopped';
      message = undefined;
    },
    status(): ComponentStatus {
      return {
        name: 'serverless',
        kind: 'module',
        state,
        ...(message ? { message } : {}),
        ...(mesh ? { ports: { mesh: mesh.port }, urls: { mesh: mesh.url } } : {}),
      };
    },
  };
}

function debugSession(st: FnState): DebugSession | undefined {
  const s = st.serving;
  if (!st.debug || !s?.debug) return undefined;
  return { namespace: st.namespace, name: st.name, revision: s.revision, port: s.debug.port, break: s.debug.break, handlerFile: s.debug.handlerFile, fromDevFolder: s.debug.fromDevFolder };
}

/** A debug port must be a free loopback port not held by another function's debug worker. */
async function checkDebugPort(port: number, st: FnState, all: Iterable<FnState>): Promise<void> {
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new Error(`--port ${port}: the inspector port must be a number from 1024 to 65535`);
  for (const other of all) {
    if (other !== st && other.debug?.port === port) throw new Error(`port ${port} is already the inspector port of ${other.key} — pick another with --port, or stop that session (kyma-local debug ${other.name} --stop)`);
  }
  if (st.serving?.debug?.port === port) return;
  const free = await new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  if (!free) throw new Error(`port ${port} on 127.0.0.1 is in use — pick another inspector port with --port`);
}
