// Entry point of a function worker: `node dist/main/core/function-runtime/server.js`.
// Implements the Kyma Node.js runtime contract (KYMA-SPEC.md §2; upstream serverless
// components/runtimes/nodejs22/server.mjs). Configuration comes from the environment, see config.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { readConfig, type RuntimeConfig } from './config.js';
import { installJsonConsole } from './console-json.js';
import { LOAD_ERROR_EXIT_CODE, LOAD_ERROR_PREFIX, type WorkerToParentMessage } from './index.js';
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

function listen(server: http.Server, config: RuntimeConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(`Function server cannot listen on ${config.host}:${config.port}: ${err.code ?? err.message}; set FUNC_PORT to a free port`));
    });
    server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.jsonLogs) installJsonConsole();
  let mesh: MeshHook | undefined;
  if (config.meshAddress) mesh = installMesh(config.meshAddress, config.knownServices);
  configureIpc((services) => mesh?.setServices(services));

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
  const server = http.createServer(app);
  configureGracefulShutdown({ server, drainMs: config.drainMs, beforeExit: tracing.shutdown });
  const port = await listen(server, config);
  console.log(`Function ${config.functionName || '(unnamed)'} listening on ${config.host}:${port}`);
  const ready: WorkerToParentMessage = { type: 'ready', port };
  process.send?.(ready);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
