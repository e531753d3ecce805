// What the CLI and the Electron shell use to find, start and call the daemon. It never imports the daemon, a
// runtime or telemetry: the daemon is started as a process by path (daemonEntry).
export { DaemonClient, DaemonNotRunningError, DaemonRequestError, connectDaemon, ensureDaemon, findDaemon, daemonEntry, type RequestOptions } from './client.js';
export { resolveStateDir, statePaths, ensureStateDir, type StatePaths } from './state-dir.js';
export { readDaemonInfo, writeDaemonInfo, removeDaemonInfo, isProcessAlive, type DaemonInfo } from './daemon-info.js';
export { loadOrCreateToken, readToken, tokensEqual } from './token.js';
export { packageRoot, packageVersion } from './version.js';
export { daemonPortFromEnv, DEFAULT_DAEMON_PORT } from './daemon-port.js';
