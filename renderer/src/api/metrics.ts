import type { HistogramValue, MetricSeries } from './types.js';

export interface ChartPoint {
  t: number;
  [key: string]: number;
}

/** Per-second rate of a counter, summed over its series (one per replica/label set), on a 1 s grid. */
export function rate(series: MetricSeries[]): Array<{ t: number; v: number }> {
  const grid = new Map<number, number>();
  for (const s of series) {
    for (let i = 1; i < s.points.length; i++) {
      const a = s.points[i - 1]!;
      const b = s.points[i]!;
      const dt = (b.timeMs - a.timeMs) / 1000;
      if (dt <= 0 || a.value === undefined || b.value === undefined) continue;
      // A counter that went down restarted (new worker): its new value is the increase.
      const inc = b.value >= a.value ? b.value - a.value : b.value;
      const t = Math.round(b.timeMs / 1000) * 1000;
      grid.set(t, (grid.get(t) ?? 0) + inc / dt);
    }
  }
  return [...grid.entries()].sort((x, y) => x[0] - y[0]).map(([t, v]) => ({ t, v }));
}

/** The q-quantile of a (non-cumulative) bucket histogram, interpolated within the bucket. */
export function quantile(h: HistogramValue, q: number): number | undefined {
  if (h.count <= 0) return undefined;
  const target = q * h.count;
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i]!;
    if (seen + c >= target && c > 0) {
      const lo = i === 0 ? 0 : h.bounds[i - 1]!;
      const hi = i < h.bounds.length ? h.bounds[i]! : lo * 2 || 1;
      return lo + ((target - seen) / c) * (hi - lo);
    }
    seen += c;
  }
  return h.bounds[h.bounds.length - 1];
}

function diff(a: HistogramValue, b: HistogramValue): HistogramValue {
  if (b.count < a.count || a.counts.length !== b.counts.length) return b;
  return { count: b.count - a.count, sum: b.sum - a.sum, bounds: b.bounds, counts: b.counts.map((c, i) => c - (a.counts[i] ?? 0)) };
}

/** p50/p95 over each interval between consecutive points, merged over series. */
export function latency(series: MetricSeries[]): Array<{ t: number; p50: number; p95: number }> {
  const grid = new Map<number, HistogramValue>();
  for (const s of series) {
    for (let i = 1; i < s.points.length; i++) {
      const a = s.points[i - 1]!.histogram;
      const b = s.points[i]!.histogram;
      if (!a || !b) continue;
      const d = diff(a, b);
      if (d.count <= 0) continue;
      const t = Math.round(s.points[i]!.timeMs / 1000) * 1000;
      const prev = grid.get(t);
      grid.set(t, prev ? { count: prev.count + d.count, sum: prev.sum + d.sum, bounds: d.bounds, counts: d.counts.map((c, k) => c + (prev.counts[k] ?? 0)) } : d);
    }
  }
  return [...grid.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([t, h]) => ({ t, p50: quantile(h, 0.5) ?? 0, p95: quantile(h, 0.95) ?? 0 }));
}

/** Sum of the latest value of each series (e.g. resident memory over all replicas), over time on a 1 s grid. */
export function gaugeSum(series: MetricSeries[]): Array<{ t: number; v: number }> {
  const grid = new Map<number, number>();
  for (const s of series) {
    for (const p of s.points) {
      if (p.value === undefined) continue;
      const t = Math.round(p.timeMs / 1000) * 1000;
      grid.set(t, (grid.get(t) ?? 0) + p.value);
    }
  }
  return [...grid.entries()].sort((x, y) => x[0] - y[0]).map(([t, v]) => ({ t, v }));
}

/**
 * Request rate, error rate and p50/p95 latency from trace summaries (one per call), on a 5 s grid: the fallback
 * when the function's own metrics are not collected.
 */
export function fromTraces(traces: Array<{ startMs: number; durationMs: number; error: boolean }>, windowMs = 300_000, stepMs = 5000, now = Date.now()): {
  calls: Array<{ t: number; v: number }>;
  errors: Array<{ t: number; v: number }>;
  latency: Array<{ t: number; p50: number; p95: number }>;
} {
  const buckets = new Map<number, { n: number; err: number; d: number[] }>();
  for (const tr of traces) {
    const t = Math.floor(tr.startMs / stepMs) * stepMs;
    const b = buckets.get(t) ?? { n: 0, err: 0, d: [] };
    b.n++;
    if (tr.error) b.err++;
    b.d.push(tr.durationMs);
    buckets.set(t, b);
  }
  // Quiet intervals are zero calls, not missing data: fill the grid over the window.
  const first = Math.floor((now - windowMs) / stepMs) * stepMs;
  for (let t = first; t <= now; t += stepMs) if (!buckets.has(t)) buckets.set(t, { n: 0, err: 0, d: [] });
  const sorted = [...buckets.entries()].filter(([t]) => t >= first).sort((a, b) => a[0] - b[0]);
  const pct = (d: number[], q: number): number => {
    const s = [...d].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  };
  return {
    calls: sorted.map(([t, b]) => ({ t, v: b.n / (stepMs / 1000) })),
    errors: sorted.map(([t, b]) => ({ t, v: b.err / (stepMs / 1000) })),
    latency: sorted.filter(([, b]) => b.n > 0).map(([t, b]) => ({ t, p50: pct(b.d, 0.5), p95: pct(b.d, 0.95) })),
  };
}
