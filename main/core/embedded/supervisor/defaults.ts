import { existsSync } from 'node:fs';
import type { RestartPolicy } from './types.js';

export const DEFAULT_START_TIMEOUT_MS = 10_000;
export const DEFAULT_STOP_GRACE_MS = 5_000;
export const STDERR_TAIL_LINES = 20;

export const DEFAULT_RESTART: RestartPolicy = {
  mode: 'always',
  initialBackoffMs: 200,
  maxBackoffMs: 10_000,
  crashLoopThreshold: 5,
  crashLoopWindowMs: 60_000,
};

const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = process.platform === 'linux' && existsSync(SETPRIV);

/**
 * Node cannot call prctl(PR_SET_PDEATHSIG) itself, so on Linux children are started through setpriv,
 * which sets it and then execs the command (same pid): the kernel kills them when the daemon dies,
 * even on SIGKILL. The signal fires when the spawning thread exits, which is the main thread here.
 */
export function wrapCommand(command: string, args: string[]): { command: string; args: string[] } {
  if (!hasSetpriv) return { command, args };
  return { command: SETPRIV, args: ['--pdeathsig', 'KILL', '--', command, ...args] };
}
