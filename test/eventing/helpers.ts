/** Test helpers for eventing: a real nats-server, a real file store, real HTTP sinks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createConnection, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RESOURCE_TYPES, SUBSCRIPTION, silentLogger, type KubeObject } from '../../main/core/model/index.js';
import { DEFAULT_RETENTION, type Profile } from '../../main/core/profiles/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import type { ModuleContext, ServiceRegistry } from '../../main/core/embedded/module.js';
import type { Supervisor } from '../../main/core/embedded/supervisor/index.js';
import { createServiceRegistry } from '../../main/core/embedded/services/index.js';

export function natsBinary(): string {
  const candidates = [process.env['KYMA_LOCAL_NATS_SERVER'], '/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return 'nats-server';
}

export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** A real nats-server with JetStream; `kill()` SIGKILLs it and `restart()` starts it again on the same port/dir. */
export class NatsProcess {
  proc: ChildProcess | undefined;
  constructor(
    readonly port: number,
    readonly storeDir: string,
  ) {}
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }
  static async start(storeDir: string): Promise<NatsProcess> {
    const n = new NatsProcess(await freePort(), storeDir);
    await n.restart();
    return n;
  }
  async restart(): Promise<void> {
    this.proc = spawn(natsBinary(), ['-js', '-sd', this.storeDir, '-a', '127.0.0.1', '-p', String(this.port)], { stdio: 'ignore' });
    await waitFor(() => canConnect(this.port), `nats-server on port ${this.port}`);
  }
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(signal);
    await exited;
  }
}

export function testProfile(overrides: Partial<Profile['eventing']> = {}, events = 1000): Profile {
  return {
    name: 'test',
    description: 'eventing test profile',
    source: '/dev/null',
    runtime: 'embedded',
    modules: ['eventing'],
    ports: { nats: 0, gateway: 0, publisher: 0, otlp: 0 },
    limits: { maxReplicas: 3, eventStreamMaxBytes: 64 * 1024 * 1024, requestBodyMb: 1 },
    retention: { ...DEFAULT_RETENTION, traces: 100, logs: 100, metricPoints: 100, events, keepStateOnDown: true },
    eventing: { retryInitialMs: 50, retryMaxMs: 200, maxDeliver: 5, ...overrides },
    telemetry: { browserOrigins: [] },
  };
}

const noSupervisor: Supervisor = {
  start: () => Promise.reject(new Error('eventing tests do not use the supervisor')),
  get: () => undefined,
  list: () => [],
  stopAll: () => Promise.resolve(),
};

export interface TestEnv {
  dir: string;
  nats: NatsProcess;
  store: FileStore;
  services: ServiceRegistry;
  ctx: ModuleContext;
  cleanup(): Promise<void>;
}

export async function createEnv(profile: Profile = testProfile()): Promise<TestEnv> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kl-eventing-'));
  const nats = await NatsProcess.start(path.join(dir, 'jetstream'));
  const store = await createFileStore({ dir: path.join(dir, 'store'), types: RESOURCE_TYPES });
  const services = createServiceRegistry();
  const ctx: ModuleContext = {
    profile,
    stateDir: dir,
    store,
    supervisor: noSupervisor,
    natsUrl: nats.url,
    log: silentLogger,
    endpoints: new Map(),
    services,
  };
  return {
    dir,
    nats,
    store,
    services,
    ctx,
    async cleanup() {
      await store.close().catch(() => undefined);
      await nats.kill('SIGTERM').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SinkRequest {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP sink; `respond` decides the status of each request (default 200). */
export async function startSink(respond: (req: SinkRequest, n: number) => number | Promise<number> = () => 200) {
  const requests: SinkRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      void Promise.resolve(respond(r, requests.length)).then((status) => {
        res.writeHead(status);
        res.end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export function subscription(name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: 'eventing.kyma-project.io/v1alpha2', kind: 'Subscription', metadata: { name, namespace }, spec };
}

export function subStatus(store: FileStore, name: string, namespace = 'default'): Record<string, unknown> | undefined {
  return store.find(SUBSCRIPTION, namespace, name)?.status;
}
