// Metric series (name + function + labels) with their current value for Prometheus and a bounded point history.
import type { IngestResult, OtlpHistogramPoint, OtlpKeyValue, OtlpMetricsRequest, OtlpNumberPoint } from './otlp-types.js';
import { anyValue, attrGet, flatAttrs, longToNumber, nanosToMs, OtlpDecodeError } from './otlp-values.js';
import { Interner } from './intern.js';
import type { Retention } from './retention.js';
import { isoTime } from './span-model.js';
import { RESOURCE_KEYS } from './log-store.js';
import type { HistogramValue, MetricKind, MetricPoint, MetricSeries } from '../api/index.js';
export type { HistogramValue, MetricKind, MetricPoint, MetricSeries };





export interface MetricQuery {
  function?: string;
  name?: string;
}

export interface RecordMetricOptions {
  help?: string;
  unit?: string;
  /** Histogram bucket upper bounds (default: the function runtime's millisecond buckets). */
  buckets?: number[];
}

export const DEFAULT_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

export class Series {
  points: MetricPoint[] = [];
  value = 0;
  hist: HistogramValue | undefined;
  help: string | undefined;
  unit: string | undefined;
  constructor(
    readonly key: string,
    readonly name: string,
    readonly kind: MetricKind,
    readonly fn: string | undefined,
    readonly labels: Record<string, string>,
  ) {}
}

function labelText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export class MetricStore {
  readonly series = new Map<string, Series>();
  /** One entry per stored point, oldest first, naming the series it belongs to (for global FIFO eviction). */
  private queue: Series[] = [];
  private head = 0;
  evicted = 0;
  private readonly intern = new Interner();

  constructor(private readonly retention: Retention) {}

  get pointCount(): number {
    return this.queue.length - this.head;
  }

  seriesFor(name: string, kind: MetricKind, fn: string | undefined, labels: Record<string, string>): Series {
    const sorted = Object.keys(labels).sort();
    const key = JSON.stringify([name, fn ?? '', ...sorted.map((k) => [k, labels[k]])]);
    let s = this.series.get(key);
    if (!s) {
      s = new Series(key, this.intern.key(name), kind, fn, labels);
      this.series.set(key, s);
    }
    return s;
  }

  /** Direct recording: counters add `value`, gauges set it, histograms observe it. */
  record(name: string, kind: MetricKind, value: number, attributes: Record<string, string | number | boolean>, opts: RecordMetricOptions = {}, timeMs = Date.now()): MetricSeries {
    if (!Number.isFinite(value)) throw new Error(`metric ${name}: value must be a finite number (got ${value})`);
    if (kind === 'counter' && value < 0) throw new Error(`metric ${name}: a counter cannot decrease (got ${value}); use a gauge`);
    const labels: Record<string, string> = {};
    let fn: string | undefined;
    for (const [k, v] of Object.entries(attributes)) {
      if (k === 'function') fn = String(v);
      else labels[k] = String(v);
    }
    const s = this.seriesFor(name, kind, fn, labels);
    s.help ??= opts.help;
    s.unit ??= opts.unit;
    if (kind === 'counter') s.value += value;
    else if (kind === 'gauge') s.value = value;
    else {
      const bounds = s.hist?.bounds ?? opts.buckets ?? DEFAULT_BUCKETS;
      const h = (s.hist ??= { count: 0, sum: 0, bounds, counts: new Array<number>(bounds.length + 1).fill(0) });
      h.count++;
      h.sum += value;
      let i = 0;
      while (i < bounds.length && value > bounds[i]!) i++;
      h.counts[i]!++;
    }
    return view(s, [this.coalescePoint(s, timeMs)]);
  }

  /**
   * Points recorded by the platform (one per request at event rates) are kept at one per second per series:
   * the latest cumulative value within a second replaces the previous one, so a busy function cannot flood the
   * store and evict every other series. Gauges, and points ingested over OTLP, keep their own timestamps.
   */
  private coalescePoint(s: Series, timeMs: number): MetricPoint {
    const last = s.points[s.points.length - 1];
    if (s.kind === 'gauge' || !last || Math.floor(last.timeMs / 1000) !== Math.floor(timeMs / 1000)) return this.addPoint(s, timeMs);
    last.timeMs = timeMs;
    last.time = isoTime(timeMs);
    if (s.kind === 'histogram' && s.hist) last.histogram = { ...s.hist, counts: [...s.hist.counts] };
    else last.value = s.value;
    return last;
  }

  private addPoint(s: Series, timeMs: number): MetricPoint {
    const p: MetricPoint = s.kind === 'histogram' && s.hist ? { time: isoTime(timeMs), timeMs, histogram: { ...s.hist, counts: [...s.hist.counts] } } : { time: isoTime(timeMs), timeMs, value: s.value };
    s.points.push(p);
    this.queue.push(s);
    while (this.pointCount > this.retention.maxMetricPoints) {
      const old = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Series;
      old.points.shift();
      this.evicted++;
    }
    if (this.head > 4096 && this.head > this.queue.length / 2) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return p;
  }

  ingest(req: OtlpMetricsRequest, dedupe = false): { result: IngestResult; added: MetricSeries[] } {
    if (req.resourceMetrics !== undefined && req.resourceMetrics !== null && !Array.isArray(req.resourceMetrics)) {
      throw new OtlpDecodeError('"resourceMetrics" must be an array');
    }
    const added: MetricSeries[] = [];
    let accepted = 0;
    for (const rm of req.resourceMetrics ?? []) {
      const rattrs = flatAttrs(rm.resource?.attributes, this.intern);
      const fnAttr = RESOURCE_KEYS.function.map((k) => attrGet(rattrs, k)).find((v) => typeof v === 'string' && v !== '');
      const service = attrGet(rattrs, 'service.name');
      const resourceFn = typeof fnAttr === 'string' ? fnAttr : typeof service === 'string' && service ? service : undefined;
      for (const sm of rm.scopeMetrics ?? []) {
        for (const m of sm.metrics ?? []) {
          const name = m.name ?? '';
          if (!name) throw new OtlpDecodeError('a metric without a name');
          const touched = new Set<Series>();
          const point = (attrs: OtlpKeyValue[] | null | undefined, kind: MetricKind): Series => {
            const labels: Record<string, string> = {};
            let fn = resourceFn;
            for (const kv of attrs ?? []) {
              if (kv.key === 'function') fn = labelText(anyValue(kv.value));
              else labels[kv.key] = labelText(anyValue(kv.value));
            }
            const s = this.seriesFor(name, kind, fn, labels);
            s.help ??= m.description || undefined;
            s.unit ??= m.unit || undefined;
            touched.add(s);
            return s;
          };
          if (m.gauge) for (const p of m.gauge.dataPoints ?? []) this.numberPoint(point(p.attributes, 'gauge'), p, false, dedupe);
          else if (m.sum) {
            const delta = Number(m.sum.aggregationTemporality) === 1;
            const kind: MetricKind = m.sum.isMonotonic ? 'counter' : 'gauge';
            for (const p of m.sum.dataPoints ?? []) this.numberPoint(point(p.attributes, kind), p, delta, dedupe);
          } else if (m.histogram) {
            const delta = Number(m.histogram.aggregationTemporality) === 1;
            for (const p of m.histogram.dataPoints ?? []) this.histogramPoint(point(p.attributes, 'histogram'), p, delta, dedupe);
          } else continue; // exponential histograms and summaries are accepted but not kept
          accepted += touched.size;
          for (const s of touched) added.push(view(s, s.points.slice(-1)));
        }
      }
    }
    return { result: { accepted, rejected: 0 }, added };
  }

  private numberPoint(s: Series, p: OtlpNumberPoint, delta: boolean, dedupe: boolean): void {
    if (dedupe && hasPointAt(s, p.timeUnixNano)) return;
    const v = p.asDouble !== null && p.asDouble !== undefined ? Number(p.asDouble) : longToNumber(p.asInt);
    s.value = delta && s.kind === 'counter' ? s.value + v : v;
    this.addPoint(s, nanosToMs(p.timeUnixNano) || Date.now());
  }

  private histogramPoint(s: Series, p: OtlpHistogramPoint, delta: boolean, dedupe: boolean): void {
    if (dedupe && hasPointAt(s, p.timeUnixNano)) return;
    const bounds = (p.explicitBounds ?? []).map(Number);
    const counts = (p.bucketCounts ?? []).map(longToNumber);
    while (counts.length < bounds.length + 1) counts.push(0);
    const next: HistogramValue = { count: longToNumber(p.count), sum: Number(p.sum ?? 0), bounds, counts };
    const prev = s.hist;
    if (delta && prev && prev.bounds.length === bounds.length) {
      s.hist = { count: prev.count + next.count, sum: prev.sum + next.sum, bounds, counts: prev.counts.map((c, i) => c + (counts[i] ?? 0)) };
    } else s.hist = next;
    this.addPoint(s, nanosToMs(p.timeUnixNano) || Date.now());
  }

  query(q: MetricQuery): MetricSeries[] {
    const out: MetricSeries[] = [];
    for (const s of this.series.values()) {
      if (q.function !== undefined && s.fn !== q.function) continue;
      if (q.name !== undefined && s.name !== q.name) continue;
      out.push(view(s, s.points));
    }
    return out;
  }
}

/** An imported point already present (same series, same timestamp) is skipped, so re-imports do not double. */
function hasPointAt(s: Series, time: OtlpNumberPoint['timeUnixNano']): boolean {
  const t = nanosToMs(time);
  return s.points.some((p) => Math.abs(p.timeMs - t) < 0.001);
}

export function view(s: Series, points: MetricPoint[]): MetricSeries {
  return {
    name: s.name,
    kind: s.kind,
    ...(s.fn !== undefined ? { function: s.fn } : {}),
    labels: s.labels,
    ...(s.help ? { help: s.help } : {}),
    ...(s.unit ? { unit: s.unit } : {}),
    points: [...points],
  };
}
