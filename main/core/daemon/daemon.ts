import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { ApiError, badRequest, failureStatus, RESOURCE_TYPES, type Logger } from '../model/index.js';
import { createFileStore, type FileStore } from '../store/index.js';
import { BUILTIN_PROFILES_DIR, listProfiles, loadProfile } from '../profiles/index.js';
import type { EventsCapability, ProgressListener, Runtime, RuntimeStatus, UpOptions } from '../runtime.js';
import { ROUTES, type DaemonStatusReport, type DoctorCheck, type UpPlan } from '../api/index.js';
import type { Profile } from '../profiles/index.js';
import { createTelemetry, type RetentionOptions, type Telemetry } from '../telemetry/index.js';
import { ensureStateDir, loadOrCreateToken, packageVersion, removeDaemonInfo, writeDaemonInfo, type StatePaths } from '../daemon-client/index.js';
import { createKubeApi, type KubeApi } from './kube-api/index.js';
import { createFileLogger } from './file-logger.js';
import { guardRequest } from './http/security.js';
import { DashboardSessions } from './http/sessions.js';
import { Router } from './http/router.js';
import { sendError, sendJson, sendStatus } from './http/toolkit.js';
import { cookieRequestAllowed, registerUiRoutes, type UiPublicHandler } from './http/static-ui.js';
import { registerControlRoutes } from './routes/control.js';
import { registerTelemetryRoutes } from './routes/telemetry.js';
import { registerEventRoutes } from './routes/events.js';
import { registerFunctionRoutes } from './routes/functions.js';
import { registerDevRoutes } from './routes/dev.js';
import { capability } from './routes/capability.js';
import { readClusterState, writeClusterState } from './cluster-state.js';
import { platformLogToTelemetry, workerLineToTelemetry } from './telemetry-sources.js';
import { registerAppMapRoutes } from './routes/app-map.js';
import { registerExampleRoutes } from './routes/examples.js';
import { registerGatewayRoutes } from './routes/gateway.js';
import { registerApplicationRoutes } from './routes/applications.js';
import { DevSessions } from './dev-sessions.js';
import { createRuntime, DEFAULT_RUNTIME, imagesHost, planRuntime, runtimePreflight, setupRuntime, type RuntimeDeps } from './runtime-factory.js';
import { registerImagesRoutes } from './routes/images.js';
import { runDoctor } from './doctor.js';
import { registerDoctorRoutes } from './routes/doctor.js';
import { registerSnapshotRoutes } from './routes/snapshot.js';
import { saveSnapshot, type SaveOptions, type SaveResult } from './snapshot/save.js';
import { loadSnapshot, type LoadOptions, type LoadResult } from './snapshot/load.js';
import type { SnapshotHost } from './snapshot/host.js';

export interface DaemonOptions {
  stateDir: string;
  /** 0 = any free port. */
  port: number;
  /** Also print log records to stderr (foreground mode). */
  echoLogs?: boolean;
}

/** The profile's retention as the telemetry stores' bounds (counts and byte budgets). */
function telemetryRetention(profile: Profile): RetentionOptions {
  const r = profile.retention;
  return { maxTraces: r.traces, maxLogRecords: r.logs, maxMetricPoints: r.metricPoints, maxSpanBytes: r.spanBytes, maxLogBytes: r.logBytes };
}

/** The request's URL; a target no URL parser takes (`//[`) is the client's mistake: 400. */
function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    throw badRequest(`the request target ${JSON.stringify(req.url)} is not a valid URL path`);
  }
}

/**
 * The composition root: one per user; owns the store, the runtime (chosen by the profile through
 * runtime-factory.ts) and the HTTP API, whose routes reach the runtime only through its capabilities.
 */
export class Daemon {
  readonly paths: StatePaths;
  readonly log: Logger;
  readonly telemetry: Telemetry;
  private readonly token: string;
  /** Dashboard sign-ins: the browser cookie carries one of these ids, never the token. */
  private readonly sessions = new DashboardSessions();
  private store!: FileStore;
  private runtime!: Runtime;
  private kubeApi!: KubeApi;
  private server!: Server;
  private readonly router = new Router();
  private uiPublic!: UiPublicHandler;
  private dev!: DevSessions;
  private profile: Profile | undefined;
  private url = '';
  private readonly startedAt = new Date().toISOString();
  private stopping: Promise<void> | undefined;
  private upInFlight: Promise<RuntimeStatus> | undefined;
  private stoppedResolve!: () => void;
  /** Settles once shutdown() has finished, whoever asked for it (signal, API, test). */
  readonly stopped = new Promise<void>((resolve) => {
    this.stoppedResolve = resolve;
  });
  private readonly version = packageVersion();

  constructor(private readonly opts: DaemonOptions) {
    this.paths = ensureStateDir(opts.stateDir);
    // Telemetry outlives `down`/`up`: the stores keep what a crashed worker printed last.
    this.telemetry = createTelemetry();
    this.log = createFileLogger(this.paths.log, { echo: opts.echoLogs ?? false, sink: (r) => platformLogToTelemetry(this.telemetry, r) }).child({ component: 'daemon' });
    this.token = loadOrCreateToken(this.paths.token);
  }

  async start(): Promise<void> {
    this.store = await createFileStore({ dir: this.paths.resources, types: RESOURCE_TYPES, log: this.log.child({ component: 'store' }) });
    this.runtime = createRuntime(DEFAULT_RUNTIME, this.runtimeDeps());
    // Processes a daemon that died left behind go before anything new starts.
    await this.runtime.prepare?.();
    this.kubeApi = createKubeApi({
      store: this.store,
      types: RESOURCE_TYPES,
      log: this.log.child({ component: 'kube-api' }),
      version: this.version,
      // `services/{name}/proxy` reaches what the runtime routes (a runtime without functions has no services).
      services: (ns, name) => this.runtime.capabilities.functions?.get().serviceUrl?.(ns, name),
    });
    const current = (): Runtime => this.runtime;
    registerControlRoutes(this.router, this);
    registerEventRoutes(this.router, current);
    registerFunctionRoutes(this.router, current);
    registerGatewayRoutes(this.router, current);
    registerApplicationRoutes(this.router, current);
    registerTelemetryRoutes(this.router, this.telemetry);
    registerAppMapRoutes(this.router, { store: () => this.store, runtime: current, telemetry: this.telemetry });
    this.uiPublic = registerUiRoutes(this.router, { sessions: this.sessions });
    this.dev = new DevSessions(() => capability(this.runtime, 'dev'), this.log.child({ component: 'dev' }), join(this.paths.root, 'dev.json'), (kind) => this.moduleEnabledFor(kind));
    registerDevRoutes(this.router, this.dev);
    registerDoctorRoutes(this.router, this);
    registerSnapshotRoutes(this.router, this);
    registerImagesRoutes(this.router, imagesHost((ref) => this.resolveProfile(ref), this.paths.cache));
    registerExampleRoutes(this.router, this.dev);
    this.server = createServer((req, res) => void this.handle(req, res));
    // Watches and NDJSON streams are long-lived; the default 5 min request timeout would cut them.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 30_000;
    await this.listen(this.opts.port);
    const port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    writeDaemonInfo(this.paths.daemonInfo, { pid: process.pid, port, url: this.url, startedAt: this.startedAt, version: this.version });
    this.log.info(`Daemon listening on ${this.url}`, { pid: process.pid, stateDir: this.paths.root });
    this.resumeCluster();
    await this.dev.restore();
  }

  private runtimeDeps(): RuntimeDeps {
    return {
      stateDir: this.paths.cluster,
      cacheDir: this.paths.cache,
      store: this.store,
      log: this.log.child({ component: 'runtime' }),
      telemetry: this.telemetry,
      onWorkerLine: (line, stream, worker) => workerLineToTelemetry(this.telemetry, line, stream, worker),
    };
  }

  /** Subscriptions and APIRules declared in config.yaml are applied only when their module is in the profile. */
  private moduleEnabledFor(kind: string): boolean {
    const modules = this.profile?.modules ?? [];
    if (kind === 'Subscription') return modules.includes('eventing');
    if (kind === 'APIRule') return modules.includes('api-gateway');
    return true;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        this.server.off('listening', onListening);
        if (err.code === 'EADDRINUSE') {
          reject(new Error(`Failed to start the daemon: port ${port} on 127.0.0.1 is in use — set KYMA_LOCAL_DAEMON_PORT to another port (0 = any free port)`));
        } else reject(new Error(`Failed to start the daemon on 127.0.0.1:${port}: ${err.message}`));
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(port, '127.0.0.1');
    });
  }

  /** A daemon that died (even by SIGKILL) while the cluster was up brings it back on its next start. */
  private resumeCluster(): void {
    const state = readClusterState(this.paths.clusterState);
    if (!state.wantUp) return;
    this.log.info(`Resuming the cluster with profile ${state.profile ?? 'default'} (it was up when the daemon last stopped)`);
    this.up(state.profile, () => {}).catch((err: Error) => this.log.error(`Failed to resume the cluster: ${err.message}`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url = new URL('http://127.0.0.1/');
    try {
      url = requestUrl(req);
      const guard = guardRequest(req, this.token, this.sessions);
      if (url.pathname === ROUTES.healthz && req.method === 'GET' && (guard.ok || guard.code === 401)) {
        sendJson(res, 200, { ok: true, pid: process.pid });
        return;
      }
      // The dashboard's static files and its sign-in exchange come before the token (a browser has none yet),
      // but never before the Host/Origin check.
      if ((guard.ok || guard.code === 401) && (await this.uiPublic(req, res, url))) return;
      if (!guard.ok) {
        sendStatus(res, failureStatus(guard.code, guard.code === 401 ? 'Unauthorized' : 'Forbidden', guard.message));
        return;
      }
      // SameSite does not separate ports on 127.0.0.1: a page on another local port could ride the dashboard's
      // cookie, so cookie-authenticated requests must come from the dashboard's own origin.
      if (!cookieRequestAllowed(req, this.url)) {
        sendStatus(res, failureStatus(403, 'Forbidden', 'forbidden: the dashboard session cookie is only accepted from the dashboard itself (same origin)'));
        return;
      }
      if (await this.router.handle(req, res, url)) return;
      if (await this.kubeApi.handle(req, res, url)) return;
      sendStatus(res, failureStatus(404, 'NotFound', `the server could not find the requested resource ${url.pathname}`));
    } catch (err) {
      this.log.error(`Request ${req.method} ${url.pathname} failed: ${(err as Error).message}`);
      if (!res.headersSent) sendError(res, err);
      else res.end();
    }
  }

  /** Without a profile, `up` reuses the last one (so a plain `kyma-local up` after a crash resumes it). */
  async up(profileRef: string | undefined, onProgress: ProgressListener, opts: UpOptions = {}): Promise<RuntimeStatus> {
    const ref = profileRef ?? readClusterState(this.paths.clusterState).profile ?? 'default';
    const profile = await loadProfile(ref, { searchDirs: this.profileDirs() });
    // Another runtime is built (and refused, if this version lacks it) before anything changes.
    const next = profile.runtime === this.runtime.kind ? undefined : createRuntime(profile.runtime, this.runtimeDeps(), profile);
    // A second `up` while one is in flight (e.g. the automatic resume) waits for it instead of racing it.
    if (this.upInFlight) {
      await this.upInFlight.catch(() => undefined);
    }
    if (next) await this.switchRuntime(next);
    writeClusterState(this.paths.clusterState, { wantUp: true, profile: isAbsolute(ref) ? ref : profile.name });
    this.log.info(`Bringing the cluster up with profile ${profile.name} (${profile.source})`);
    this.profile = profile;
    this.telemetry.setRetention(telemetryRetention(profile));
    const run = this.runtime.up(profile, onProgress, opts);
    this.upInFlight = run;
    try {
      return await run;
    } catch (err) {
      // Nothing was started (a preflight failure such as a missing kind binary): a restarted daemon must not
      // retry it behind the user's back. A cluster that came partly up is still resumed.
      if (this.runtime.status().phase === 'Stopped') writeClusterState(this.paths.clusterState, { wantUp: false, profile: isAbsolute(ref) ? ref : profile.name });
      throw err;
    } finally {
      if (this.upInFlight === run) this.upInFlight = undefined;
    }
  }

  /** `up --dry-run`: the plan and preflight for a profile; nothing is started or written. */
  async plan(profileRef: string | undefined): Promise<UpPlan> {
    const ref = profileRef ?? readClusterState(this.paths.clusterState).profile ?? 'default';
    const profile = await loadProfile(ref, { searchDirs: this.profileDirs() });
    return planRuntime(profile, { cacheDir: this.paths.cache });
  }

  /** Takes another runtime into use; only while the current one holds no cluster. */
  private async switchRuntime(next: Runtime): Promise<void> {
    const current = this.runtime.status();
    if (current.phase !== 'Stopped') {
      throw new Error(`cluster is already up with profile ${current.profile ?? '-'} on the ${current.runtime} runtime — run \`kyma-local down\` first`);
    }
    this.log.info(`Switching from the ${this.runtime.kind} runtime to the ${next.kind} runtime`);
    await this.runtime.down();
    this.runtime = next;
    await next.prepare?.();
  }

  /** A profile reference (name or absolute file) as `up` would resolve it; none = the last one used, else default. */
  async resolveProfile(ref: string | undefined): Promise<Profile> {
    return loadProfile(ref ?? readClusterState(this.paths.clusterState).profile ?? 'default', { searchDirs: this.profileDirs() });
  }

  async doctor(ref: string | undefined): Promise<{ profile: string; checks: DoctorCheck[] }> {
    let profile: Profile;
    try {
      profile = await this.resolveProfile(ref);
    } catch (err) {
      return { profile: ref ?? 'default', checks: [{ name: 'profile', status: 'fail', detail: (err as Error).message, fix: 'fix the profile file, or pick another with --profile' }] };
    }
    const cluster = this.runtime.status();
    const checks = await runDoctor(this.paths.root, () => runtimePreflight(profile, cluster, { cacheDir: this.paths.cache }));
    return { profile: profile.name, checks: [{ name: 'profile', status: 'ok', detail: `${profile.name} (${profile.runtime} runtime, ${profile.source})` }, ...checks] };
  }

  async setup(ref: string | undefined, onProgress: (message: string) => void, offline: boolean): Promise<string[]> {
    return setupRuntime(await this.resolveProfile(ref), onProgress, offline);
  }

  saveSnapshot(opts: SaveOptions, progress: (message: string) => void): Promise<SaveResult> {
    return this.exclusive('save a snapshot', () => saveSnapshot(this.snapshotHost(), opts, progress));
  }

  loadSnapshot(opts: LoadOptions, progress: (message: string) => void): Promise<LoadResult> {
    return this.exclusive('load a snapshot', () => loadSnapshot(this.snapshotHost(), opts, progress));
  }

  snapshotsDir(): string {
    return join(this.paths.root, 'snapshots');
  }

  private snapshotBusy: string | undefined;

  /** One snapshot operation at a time: a load halfway through must not be saved, nor loaded over. */
  private async exclusive<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.snapshotBusy) throw new ApiError(409, 'Conflict', `cannot ${what} while another snapshot operation (${this.snapshotBusy}) runs — try again when it is done`);
    this.snapshotBusy = what;
    try {
      return await run();
    } finally {
      this.snapshotBusy = undefined;
    }
  }

  private snapshotHost(): SnapshotHost {
    return {
      paths: this.paths,
      store: this.store,
      dev: this.dev,
      telemetry: this.telemetry,
      version: this.version,
      log: this.log.child({ component: 'snapshot' }),
      currentProfile: async () => this.profile ?? (await this.resolveProfile(undefined)),
      userProfilesDir: () => join(this.paths.root, 'profiles'),
      eventing: (): EventsCapability | undefined => {
        try {
          return this.runtime.capabilities.events?.get();
        } catch {
          return undefined; // eventing is not running
        }
      },
      clusterStatus: () => this.runtime.status(),
      down: (onProgress) => this.down(onProgress),
      up: (ref, onProgress) => this.up(ref, onProgress),
    };
  }

  async down(onProgress?: ProgressListener): Promise<void> {
    const state = readClusterState(this.paths.clusterState);
    writeClusterState(this.paths.clusterState, { wantUp: false, ...(state.profile ? { profile: state.profile } : {}) });
    this.log.info('Bringing the cluster down');
    await this.runtime.down(onProgress);
  }

  clusterStatus(): RuntimeStatus {
    return this.runtime.status();
  }

  statusReport(): DaemonStatusReport {
    return {
      daemon: { pid: process.pid, version: this.version, url: this.url, stateDir: this.paths.root, startedAt: this.startedAt, logFile: this.paths.log },
      cluster: this.runtime.status(),
    };
  }

  listProfiles(): ReturnType<typeof listProfiles> {
    return listProfiles(this.profileDirs());
  }

  private profileDirs(): string[] {
    return [join(this.paths.root, 'profiles'), BUILTIN_PROFILES_DIR];
  }

  /**
   * Stops the cluster's processes (keeping cluster.json's wish, so a restarted daemon resumes), closes the
   * store and exits the HTTP server. Idempotent.
   */
  shutdown(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.log.info(`Daemon shutting down: ${reason}`);
      try {
        await this.runtime.down();
      } catch (err) {
        this.log.error(`Error while stopping the cluster: ${(err as Error).message}`);
      }
      await this.dev.close();
      await this.store.close();
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
      removeDaemonInfo(this.paths.daemonInfo, process.pid);
      this.log.info('Daemon stopped');
      this.stoppedResolve();
    })();
    return this.stopping;
  }
}
