// Process lifecycle: graceful SIGTERM/SIGINT (stop accepting, let in-flight requests finish within a bound,
// then exit 0) and, when spawned with an IPC channel, dying with the parent and taking service updates.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface LifecycleOptions {
  server: Server;
  drainMs: number;
  /** Runs before exit (flushing spans); bounded by drainMs as well. */
  beforeExit: () => Promise<void>;
}

export function configureGracefulShutdown({ server, drainMs, beforeExit }: LifecycleOptions): () => void {
  const busy = new Set<Socket>();
  let terminating = false;
  server.on('request', (req: { socket: Socket }, res: NodeJS.EventEmitter & { setHeader(n: string, v: string): void }) => {
    const socket = req.socket;
    busy.add(socket);
    if (terminating) res.setHeader('Connection', 'close');
    res.on('finish', () => {
      busy.delete(socket);
      // Keep-alive sockets would hold server.close() open; close each as soon as its response is done.
      if (terminating) socket.destroySoon();
    });
  });

  const exit = (code: number): void => {
    const hardStop = setTimeout(() => process.exit(code), drainMs);
    hardStop.unref();
    beforeExit().finally(() => process.exit(code));
  };

  const shutdown = (): void => {
    if (terminating) return;
    terminating = true;
    console.log('Shutting down..');
    const forced = setTimeout(() => {
      console.error(`Drain timeout: ${busy.size} request(s) still running after ${drainMs} ms; exiting`);
      exit(0);
    }, drainMs);
    forced.unref();
    server.close(() => {
      clearTimeout(forced);
      console.log('Server stopped');
      exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Windows has no SIGTERM to catch: the supervisor sends this over IPC there.
  process.on('message', (m: unknown) => {
    if ((m as { type?: unknown } | null)?.type === 'shutdown') shutdown();
  });
  return shutdown;
}

/** With an IPC channel: exit when the parent goes away, and hand `services` messages to the callback. */
export function configureIpc(onServices: (services: string[]) => void): void {
  if (!process.send) return;
  process.on('disconnect', () => process.exit(0));
  process.on('message', (msg: unknown) => {
    const m = msg as { type?: unknown; services?: unknown };
    if (m?.type === 'services' && Array.isArray(m.services)) {
      onServices(m.services.filter((s): s is string => typeof s === 'string'));
    }
  });
}
