import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from '../supervisor/index.js';
import { wrapCommand } from '../supervisor/index.js';

/**
 * Pre-started function workers. Starting Node and loading the runtime (express, OpenTelemetry, CloudEvents)
 * takes ~300 ms — most of a hot reload. A standby has done that already and waits for an `activate` message
 * carrying the revision's environment, so a save only pays for loading the handler and listening.
 * One standby per distinct command line (heap limit, preload); replenished after each use; never restarted.
 */
export class StandbyPool {
  private readonly ready = new Map<string, ChildProcess>();
  /** Standbys that said they listen for `activate` (earlier IPC messages would be lost). */
  private readonly listening = new WeakSet<ChildProcess>();
  private closed = false;

  constructor(private readonly command: string = process.execPath) {}

  /**
   * Hands out a standby for these args (and starts the next one), or undefined when none is on its way. A standby
   * still loading is waited for (up to `waitMs`): it started earlier, so it beats a cold start.
   */
  async acquire(args: string[], waitMs = 2000): Promise<ChildProcess | undefined> {
    const key = args.join('\0');
    const child = this.ready.get(key);
    this.ready.delete(key);
    setTimeout(() => this.prime(args), 20).unref();
    if (!child) return undefined;
    if (!this.listening.has(child)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', done);
          resolve();
        };
        const onMessage = (m: { type?: string }): void => {
          if (m?.type === 'standby') done();
        };
        const timer = setTimeout(done, waitMs);
        child.on('message', onMessage);
        child.once('exit', done);
      });
    }
    if (!this.listening.has(child) || child.exitCode !== null || child.signalCode !== null || !child.connected) {
      child.kill('SIGKILL');
      return undefined;
    }
    return child;
  }

  /** Makes sure a standby for these args is starting or waiting. */
  prime(args: string[]): void {
    const key = args.join('\0');
    if (this.closed || this.ready.has(key)) return;
    const { command, args: wrapped } = wrapCommand(this.command, args);
    const child = spawn(command, wrapped, {
      env: childEnv(process.env, { KYMA_LOCAL_STANDBY: '1' }),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'standby') this.listening.add(child);
    });
    child.once('exit', () => {
      if (this.ready.get(key) === child) this.ready.delete(key);
    });
    child.once('error', () => {
      if (this.ready.get(key) === child) this.ready.delete(key);
    });
    this.ready.set(key, child);
  }

  close(): void {
    this.closed = true;
    for (const child of this.ready.values()) child.kill('SIGKILL');
    this.ready.clear();
  }
}
