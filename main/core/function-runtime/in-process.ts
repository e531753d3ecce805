// The runtime served inside the calling process (the test kit uses it): the same Express app a worker serves,
// on a loopback port, without tracing export, IPC or the mesh hook.
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { createApp } from './app.js';
import type { RuntimeConfig } from './config.js';
import { createExpressServer } from './express-server.js';
import type { UserFunction } from './load-handler.js';
import { createMetrics } from './metrics.js';

export interface InProcessServer {
  url: string;
  close(): Promise<void>;
}

export async function serveInProcess(userFunction: UserFunction, config: RuntimeConfig): Promise<InProcessServer> {
  const app = createApp({ config, tracer: trace.getTracer('kyma-local-testing'), exporting: false, metrics: createMetrics(config.functionName), userFunction });
  const server = createExpressServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, config.host, () => resolve());
  });
  return {
    url: `http://${config.host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
