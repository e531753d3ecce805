/**
 * Runs one reconcile at a time per key; a key triggered while it runs runs once more afterwards. Delayed runs
 * (polling, backoff) are timers; a newer trigger replaces a pending timer only when it comes sooner.
 */
export class WorkQueue {
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private stopped = false;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly work: (key: string) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  add(key: string, delayMs = 0): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.run(key);
    }, delayMs);
    timer.unref?.();
    this.timers.set(key, { at, timer });
  }

  private async run(key: string): Promise<void> {
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.running.add(key);
    try {
      await this.work(key);
    } catch (err) {
      this.onError(key, err);
    } finally {
      this.running.delete(key);
      if (this.again.delete(key)) this.add(key);
      if (this.running.size === 0) {
        for (const f of this.idle) f();
        this.idle.clear();
      }
    }
  }

  /** Cancels timers and waits for running reconciles. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    while (this.running.size > 0) await new Promise<void>((r) => this.idle.add(r));
  }
}
