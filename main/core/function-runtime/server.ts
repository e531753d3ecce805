// Entry point of a function worker: `node dist/main/core/function-runtime/server.js`.
// Implements the Kyma Node.js runtime contract (KYMA-SPEC.md §2; upstream serverless
// components/runtimes/nodejs22/server.mjs). Configuration comes from the environment, see config.ts.
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createExpressServer } from './express-server.js';
import { readConfig, type RuntimeConfig } from './config.js';
import { installJsonConsole } from './console-json.js';
import { LOAD_ERROR_EXIT_CODE, LOAD_ERROR_PREFIX, type ParentToWorkerMessage, type WorkerToParentMessage } from './index.js';
import { configureGracefulShutdown, configureIpc } from './lifecycle.js';
import { HandlerLoadError, loadHandler } from './load-handler.js';
import { installMesh, type MeshHook } from './mesh.js';
import { createMetrics } from './metrics.js';
import { installOutgoingPropagation } from './propagate.js';
import { setupTracing } from './tracing.js';

// Like upstream: an exception thrown from a callback of user code must not take the worker down.
process.on('uncaughtException', (err) => console.error(`Caught exception: ${err instanceof Error ? err.stack : String(err)}`));
process.on('unhandledRejection', (err) => console.error(`Unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));

function reportLoadError(err: HandlerLoadError): never {
  const r = err.report;
  process.stderr.write(`${LOAD_ERROR_PREFIX}${JSON.stringify(r)}\n`);
  const where = r.line === null ? r.file : `${r.file}:${r.line}${r.column === null ? '' : `:${r.column}`}`;
  process.stderr.write(`Failed to load the function handler at ${where}: ${r.message}\n`);
  process.exit(LOAD_ERROR_EXIT_CODE);
}

/** Where the server listens, as printed in its "listening on" line and sent to the parent. */
type Listening = { port: number } | { socket: string };

function listen(server: http.Server, config: RuntimeConfig): Promise<Listening> {
  const where = config.socketPath ? `unix:${config.socketPath}` : `${config.host}:${config.port}`;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(`Function server cannot listen on ${where}: ${err.code ?? err.message}; set ${config.socketPath ? 'FUNC_SOCKET to a writable path' : 'FUNC_PORT to a free port'}`));
    });
    const socket = config.socketPath;
    if (socket) {
      // A restarted incarnation finds its predecessor's socket file (a crash does not remove it).
      if (process.platform !== 'win32') rmSync(socket, { force: true });
      server.listen(socket, () => resolve({ socket }));
    } else {
      server.listen(config.port, config.host, () => resolve({ port: (server.address() as AddressInfo).port }));
    }
  });
}

/**
 * Standby mode (KYMA_LOCAL_STANDBY=1, local addition): everything heavy is loaded, then the worker waits for
 * `{type:'activate', env, cwd}` from its parent and starts as if it had been spawned with that environment.
 * This takes Node start-up and module loading off a hot reload's critical path.
 */
async function awaitActivation(): Promise<void> {
  if (process.env.KYMA_LOCAL_STANDBY !== '1' || !process.send) return;
  // Warm the exporter too: it is loaded lazily only when traces are exported.
  await import('@opentelemetry/exporter-trace-otlp-http').catch(() => undefined);
  const msg = await new Promise<ParentToWorkerMessage & { type: 'activate' }>((resolve) => {
    const onMessage = (m: unknown): void => {
      const a = m as ParentToWorkerMessage;
      if (a?.type !== 'activate') return;
      process.off('message', onMessage);
      resolve(a);
    };
    process.on('message', onMessage);
    // Only now can an activation be received: IPC messages that arrive before a listener are dropped.
    const standing: WorkerToParentMessage = { type: 'standby' };
    process.send?.(standing);
  });
  delete process.env.KYMA_LOCAL_STANDBY;
  Object.assign(process.env, msg.env);
  if (msg.cwd) process.chdir(msg.cwd);
}

async function main(): Promise<void> {
  let mesh: MeshHook | undefined;
  configureIpc((services) => mesh?.setServices(services));
  await awaitActivation();
  const config = readConfig();
  if (config.jsonLogs) installJsonConsole();
  if (config.meshAddress) mesh = installMesh(config.meshAddress, config.knownServices);

  const tracing = await setupTracing(config.functionName, config.namespace, config.traceCollectorEndpoint);
  installOutgoingPropagation();
  const metrics = createMetrics(config.functionName);

  const started = process.hrtime.bigint();
  let userFunction;
  try {
    userFunction = await loadHandler(config.handlerFile, config.handlerDir);
  } catch (err) {
    if (err instanceof HandlerLoadError) reportLoadError(err);
    throw err;
  }
  console.log(`user code loaded in ${Number(process.hrtime.bigint() - started) / 1e6}ms`);

  const app = createApp({ config, tracer: tracing.tracer, exporting: tracing.exporting, metrics, userFunction });
  const server = createExpressServer(app);
  configureGracefulShutdown({ server, drainMs: config.drainMs, beforeExit: tracing.shutdown });
  const at = await listen(server, config);
  console.log(`Function ${config.functionName || '(unnamed)'} listening on ${'socket' in at ? `unix:${at.socket}` : `${config.host}:${at.port}`}`);
  const ready: WorkerToParentMessage = { type: 'ready', ...at };
  process.send?.(ready);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
