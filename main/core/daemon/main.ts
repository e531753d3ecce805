import { Daemon } from './daemon.js';
import { resolveStateDir } from './state-dir.js';
import { startCpuProfile } from './cpu-profile.js';

/**
 * The daemon process entry point (`node dist/main/core/daemon/main.js`), started by `kyma-local up` in the
 * background or in the foreground with `--foreground`.
 */
const DEFAULT_PORT = 7327;

function portFromEnv(): number {
  const raw = process.env.KYMA_LOCAL_DAEMON_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`KYMA_LOCAL_DAEMON_PORT=${raw} is not a port number (0-65535; 0 = any free port)`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const stopProfile = await startCpuProfile(process.env.KYMA_LOCAL_CPU_PROFILE);
  const daemon = new Daemon({ stateDir: resolveStateDir(), port: portFromEnv(), echoLogs: process.env.KYMA_LOCAL_FOREGROUND === '1' });
  let exiting = false;
  const stop = (signal: string): void => {
    if (exiting) return;
    exiting = true;
    daemon
      .shutdown(`received ${signal}`)
      .then(() => stopProfile?.())
      .then(() => process.exit(0))
      .catch((err: Error) => {
        console.error(`Daemon shutdown failed: ${err.message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  try {
    await daemon.start();
  } catch (err) {
    daemon.log.error((err as Error).message);
    console.error((err as Error).message);
    process.exit(1);
  }
  process.send?.({ type: 'ready' });
  // `kyma-local daemon stop` shuts down through the API; exit once that has finished.
  await daemon.stopped;
  await stopProfile?.();
  process.exit(0);
}

void main();
