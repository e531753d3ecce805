import { connectDaemon, resolveStateDir, type DaemonClient } from '../core/daemon-client/index.js';

/** Global options every command can read (state dir comes from KYMA_LOCAL_HOME, like the daemon's). */
export function stateDir(): string {
  return resolveStateDir();
}

export function client(): Promise<DaemonClient> {
  return connectDaemon(stateDir());
}
