// The daemon: started as a process (main.ts) by the CLI and Electron through core/daemon-client, never imported
// by them. Tests and embedders use Daemon directly.
export { Daemon, type DaemonOptions } from './daemon.js';
