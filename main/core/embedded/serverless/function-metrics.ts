// Per-function metrics that need no user code: request counts, errors and latency as the mesh sees them, and
// replicas, memory and CPU sampled from the workers' /proc entries.
import { readFile } from 'node:fs/promises';
import type { Telemetry } from '../../telemetry/index.js';
import type { FunctionDetails } from './types.js';

export type MetricRecorder = Pick<Telemetry, 'recordMetric'>;

export const FUNCTION_METRICS = {
  requests: 'function_requests_total',
  errors: 'function_errors_total',
  duration: 'function_request_duration_ms',
  replicas: 'function_replicas',
  rss: 'function_memory_rss_bytes',
  cpuSeconds: 'function_cpu_seconds_total',
  cpuPercent: 'function_cpu_percent',
} as const;

export interface FunctionRef {
  name: string;
  namespace: string;
}

/** One request the mesh forwarded; `failed`: status ≥ 500, or the response never completed. */
export function recordRequest(rec: MetricRecorder, fn: FunctionRef, ms: number, failed: boolean): void {
  const attrs = { function: fn.name, namespace: fn.namespace };
  rec.recordMetric(FUNCTION_METRICS.requests, 'counter', 1, attrs, { help: 'Requests to the function through the local mesh (HTTP, in-cluster calls, event deliveries)' });
  // Created at 0 on the first request, so a rate over errors exists before the first error.
  rec.recordMetric(FUNCTION_METRICS.errors, 'counter', failed ? 1 : 0, attrs, { help: 'Requests answered with status >= 500 or not answered (connection failure)' });
  rec.recordMetric(FUNCTION_METRICS.duration, 'histogram', ms, attrs, { help: 'Request latency through the mesh, milliseconds', unit: 'ms' });
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks; 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/** VmRSS of a process in bytes, or undefined when it is gone (or not Linux). */
export async function rssBytes(pid: number): Promise<number | undefined> {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in clock ticks, or undefined when it is gone. */
export async function cpuTicks(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples every function's ready replicas, summed worker RSS and CPU time on an unref'd timer. CPU seconds are a
 * counter fed by per-pid deltas, so a restarted worker adds its own time instead of resetting the total.
 */
export class UsageSampler {
  private timer: NodeJS.Timeout | undefined;
  private lastTicks = new Map<number, number>();
  private lastAt = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly rec: MetricRecorder,
    private readonly functions: () => FunctionDetails[],
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sample of every function; a sample still running is not overlapped. */
  sample(): Promise<void> {
    this.running ??= this.sampleAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sampleAll(): Promise<void> {
    const now = performance.now();
    const elapsedS = this.lastAt ? (now - this.lastAt) / 1000 : 0;
    this.lastAt = now;
    const seen = new Map<number, number>();
    for (const fn of this.functions()) {
      const attrs = { function: fn.name, namespace: fn.namespace };
      this.rec.recordMetric(FUNCTION_METRICS.replicas, 'gauge', fn.readyReplicas, attrs, { help: 'Ready replicas (worker processes) of the serving revision' });
      const pids = fn.workers.flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
      let rss = 0;
      let deltaTicks = 0;
      let knownTicks = 0;
      for (const pid of pids) {
        const [mem, ticks] = await Promise.all([rssBytes(pid), cpuTicks(pid)]);
        rss += mem ?? 0;
        if (ticks === undefined) continue;
        seen.set(pid, ticks);
        const before = this.lastTicks.get(pid);
        deltaTicks += ticks - (before ?? 0);
        if (before !== undefined) knownTicks += ticks - before;
      }
      this.rec.recordMetric(FUNCTION_METRICS.rss, 'gauge', rss, attrs, { help: 'Resident memory of the function workers, summed (VmRSS)', unit: 'bytes' });
      this.rec.recordMetric(FUNCTION_METRICS.cpuSeconds, 'counter', Math.max(0, deltaTicks) / TICKS_PER_SECOND, attrs, { help: 'CPU time (user + system) of the function workers', unit: 's' });
      if (elapsedS > 0) {
        this.rec.recordMetric(FUNCTION_METRICS.cpuPercent, 'gauge', (100 * Math.max(0, knownTicks)) / TICKS_PER_SECOND / elapsedS, attrs, { help: 'CPU use of the function workers over the last sample interval, % of one core', unit: '%' });
      }
    }
    this.lastTicks = seen;
  }
}
