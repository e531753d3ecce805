import { Daemon } from './daemon.js';
import { daemonPortFromEnv, resolveStateDir } from '../daemon-client/index.js';
import { startCpuProfile } from './cpu-profile.js';

/**
 * The daemon process entry point (`node dist/main/core/daemon/main.js`), started by `kyma-local up` in the
 * background or in the foreground with `--foreground`.
 */
function portOrExit(): number {
  try {
    return daemonPortFromEnv();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const stopProfile = await startCpuProfile(process.env.KYMA_LOCAL_CPU_PROFILE);
  const daemon = new Daemon({ stateDir: resolveStateDir(), port: portOrExit(), echoLogs: process.env.KYMA_LOCAL_FOREGROUND === '1' });
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
