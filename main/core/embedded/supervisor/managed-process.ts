import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../model/index.js';
import type { ChildRecord } from './children-file.js';
import { DEFAULT_RESTART, DEFAULT_START_TIMEOUT_MS, DEFAULT_STOP_GRACE_MS, STDERR_TAIL_LINES, wrapCommand } from './defaults.js';
import { LineSplitter } from './line-splitter.js';
import { procStartTime, signal } from './proc.js';
import { pollReady } from './readiness.js';
import type { ProcessSpec, ProcessState, ProcessStatus, RestartPolicy, SupervisedProcess } from './types.js';

const STABLE_RUN_MS = 10_000;

export interface ProcessHooks {
  register(rec: ChildRecord): void;
  unregister(pid: number): void;
  log: Logger;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
  settled: boolean;
}

function deferred(): Deferred {
  const d = { settled: false } as Deferred;
  d.promise = new Promise<void>((res, rej) => {
    d.resolve = () => {
      d.settled = true;
      res();
    };
    d.reject = (err) => {
      d.settled = true;
      rej(err);
    };
  });
  // Restarted incarnations may fail readiness with nobody awaiting; that is reported through state instead.
  d.promise.catch(() => undefined);
  return d;
}

/** One supervised command across its incarnations (restarts). */
export class ManagedProcess implements SupervisedProcess {
  readonly name: string;
  private readonly policy: RestartPolicy;
  private state: ProcessState = 'Starting';
  private message: string | undefined;
  private child: ChildProcess | undefined;
  private alive = false;
  private incarnation = 0;
  private readyD = deferred();
  private exitD = deferred();
  private restarts = 0;
  private lastExit: ProcessStatus['lastExit'];
  private readonly stderrTail: string[] = [];
  private readonly listeners = new Set<(s: ProcessStatus) => void>();
  private stopRequested = false;
  private everReady = false;
  private readyAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartTimes: number[] = [];
  private consecutiveFailures = 0;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly hooks: ProcessHooks,
  ) {
    this.name = spec.name;
    this.policy = { ...DEFAULT_RESTART, ...spec.restart };
  }

  /** First incarnation: resolves when ready; otherwise stops the process and rejects with the reason and stderr. */
  async start(): Promise<void> {
    this.spawnIncarnation();
    try {
      await this.readyD.promise;
    } catch (err) {
      const reason = (err as Error).message;
      await this.stop();
      this.setState('Failed', reason);
      const tail = this.stderrTail.slice(-5).join(' | ');
      throw new Error(`Failed to start ${this.name}: ${reason}${tail ? `; last stderr: ${tail}` : ''}`);
    }
  }

  status(): ProcessStatus {
    return {
      name: this.name,
      state: this.state,
      ...(this.alive && this.child?.pid !== undefined ? { pid: this.child.pid } : {}),
      restarts: this.restarts,
      ...(this.lastExit ? { lastExit: { ...this.lastExit } } : {}),
      lastStderr: [...this.stderrTail],
      ...(this.message !== undefined ? { message: this.message } : {}),
    };
  }

  ready(): Promise<void> {
    if (this.stopRequested) return Promise.reject(new Error(`${this.name} is stopped`));
    return this.readyD.promise;
  }

  send(message: unknown): boolean {
    const child = this.child;
    if (!this.alive || !child?.connected) return false;
    // The callback swallows EPIPE from a child that is exiting; the next incarnation gets a fresh message.
    return child.send(message as Parameters<ChildProcess['send']>[0], () => undefined);
  }

  onStateChange(listener: (s: ProcessStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** SIGTERM, SIGKILL after the grace period; resolves once the process has exited. Never restarted afterwards. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.stopRequested = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (!this.readyD.settled) this.readyD.reject(new Error('stopped before it became ready'));
    const pid = this.child?.pid;
    if (!this.alive || pid === undefined) {
      this.setState('Stopped');
      return;
    }
    this.setState('Stopping');
    // On Windows, kill('SIGTERM') terminates at once; a child with an IPC channel is asked to drain instead.
    if (process.platform === 'win32' && this.child?.connected) this.child.send({ type: 'shutdown' });
    else signal(pid, 'SIGTERM');
    const grace = this.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    const killer = setTimeout(() => {
      this.hooks.log.warn('process ignored SIGTERM; sending SIGKILL', { pid, graceMs: grace });
      signal(pid, 'SIGKILL');
    }, grace);
    await this.exitD.promise;
    clearTimeout(killer);
  }

  private spawnIncarnation(): void {
    const inc = ++this.incarnation;
    if (this.readyD.settled) this.readyD = deferred();
    this.exitD = deferred();
    const adopted = inc === 1 ? this.spec.adopt?.() : undefined;
    const { command, args } = wrapCommand(this.spec.command, this.spec.args);
    const child =
      adopted ??
      spawn(command, args, {
        cwd: this.spec.cwd,
        env: { ...process.env, ...this.spec.env },
        stdio: ['ignore', 'pipe', 'pipe', ...(this.spec.ipc ? (['ipc'] as const) : [])],
        // Own session: a Ctrl-C on the daemon's terminal reaches the daemon, which stops children in order.
        detached: true,
        // Windows: a detached child would otherwise get a console window of its own.
        windowsHide: true,
      });
    this.child = child;
    this.alive = child.pid !== undefined;
    const out = new LineSplitter((l) => this.line(l, 'stdout'));
    const err = new LineSplitter((l) => this.line(l, 'stderr'));
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    child.once('error', (e) => {
      if (child.pid === undefined) {
        this.line(`spawn ${this.spec.command}: ${e.message}`, 'stderr');
        this.onExit(inc, null, null);
      }
    });
    child.once('exit', (code, sig) => {
      // Give the pipes a moment to drain so "last stderr" holds the dying words.
      void Promise.race([closed, new Promise((r) => setTimeout(r, 200))]).then(() => {
        out.flush();
        err.flush();
        this.onExit(inc, code, sig);
      });
    });
    if (child.pid !== undefined) void this.record(child.pid);
    if (this.state !== 'CrashLoop') this.setState('Starting');
    void this.watchReadiness(inc);
  }

  private async record(pid: number): Promise<void> {
    const startTime = await procStartTime(pid);
    if (!this.alive || this.child?.pid !== pid) return;
    this.hooks.register({
      pid,
      name: this.name,
      command: this.spec.command,
      args: this.spec.args,
      ...(startTime !== undefined ? { startTime } : {}),
      startedAt: new Date().toISOString(),
    });
  }

  private async watchReadiness(inc: number): Promise<void> {
    const timeout = this.spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const stale = (): boolean => inc !== this.incarnation || !this.alive || this.stopRequested;
    const ok = await pollReady(this.spec.readiness, timeout, stale);
    if (stale()) return;
    if (ok) {
      this.everReady = true;
      this.readyAt = Date.now();
      this.setState('Ready');
      this.readyD.resolve();
      return;
    }
    this.readyD.reject(new Error(`not ready after ${Math.round(timeout / 100) / 10}s`));
    // A restarted incarnation that never becomes ready is killed and goes through the backoff again.
    if (this.everReady && this.child?.pid !== undefined) signal(this.child.pid, 'SIGKILL');
  }

  private onExit(inc: number, code: number | null, sig: NodeJS.Signals | null): void {
    if (inc !== this.incarnation || !this.exitD || this.exitD.settled) return;
    const pid = this.child?.pid;
    this.alive = false;
    if (pid !== undefined) this.hooks.unregister(pid);
    this.lastExit = { code, signal: sig, at: new Date().toISOString() };
    const how = sig ? `killed by ${sig}` : `exited with code ${code}`;
    this.hooks.log.info('process exited', { pid, code: code ?? undefined, signal: sig ?? undefined });
    if (!this.readyD.settled) this.readyD.reject(new Error(`${how} before it became ready`));
    this.exitD.resolve();
    if (this.stopRequested) return this.setState('Stopped');
    // The first incarnation's failure is reported by start(), which stops and marks it Failed.
    if (!this.everReady) return;
    const { mode } = this.policy;
    if (mode === 'never' || (mode === 'on-failure' && code === 0)) {
      return this.setState(code === 0 ? 'Stopped' : 'Failed', how);
    }
    // ready() now waits for the next incarnation instead of reporting the dead one's readiness.
    this.readyD = deferred();
    this.scheduleRestart(how);
  }

  private scheduleRestart(how: string): void {
    const now = Date.now();
    const p = this.policy;
    // A process that stayed ready for a while (at least 10 s) earns a fresh, short backoff.
    if (this.readyAt && now - this.readyAt > Math.max(p.maxBackoffMs, STABLE_RUN_MS)) this.consecutiveFailures = 0;
    this.readyAt = 0;
    const delay = Math.min(p.initialBackoffMs * 2 ** this.consecutiveFailures, p.maxBackoffMs);
    this.consecutiveFailures++;
    this.restartTimes = this.restartTimes.filter((t) => now - t < p.crashLoopWindowMs);
    this.restartTimes.push(now);
    const looping = this.restartTimes.length >= p.crashLoopThreshold;
    this.setState(looping ? 'CrashLoop' : 'Backoff', `${how}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopRequested) return;
      this.restarts++;
      this.spawnIncarnation();
    }, delay);
  }

  private line(text: string, stream: 'stdout' | 'stderr'): void {
    if (stream === 'stderr') {
      this.stderrTail.push(text);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    }
    try {
      this.spec.onLine?.(text, stream);
    } catch (err) {
      this.hooks.log.warn('onLine listener threw', { error: (err as Error).message });
    }
  }

  private setState(state: ProcessState, message?: string): void {
    this.state = state;
    this.message = message;
    const s = this.status();
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (err) {
        this.hooks.log.warn('state listener threw', { error: (err as Error).message });
      }
    }
  }
}
