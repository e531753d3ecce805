export { Daemon, type DaemonOptions, type DaemonStatusReport } from './daemon.js';
export { DaemonClient, DaemonNotRunningError, DaemonRequestError, connectDaemon, ensureDaemon, findDaemon, daemonEntry, type RequestOptions } from './client.js';
export { resolveStateDir, statePaths, ensureStateDir, type StatePaths } from './state-dir.js';
export { readDaemonInfo, isProcessAlive, type DaemonInfo } from './daemon-info.js';
export { packageRoot, packageVersion } from './version.js';
export type { AttemptRecord, EventRecord, EventWithAttempts, InspectorEntry } from '../embedded/index.js';
export type { RevisionRecord, FunctionDetails } from '../embedded/index.js';
export type { ProgressEvent, RuntimeStatus, ComponentStatus } from '../runtime.js';
export type { DevEvent, DevFolderState } from './dev-sessions.js';
