/** Bounds of the in-memory stores; the defaults are at least the Aspire dashboard's. */
export interface RetentionOptions {
  /** Traces kept (oldest trace evicted whole). Default 10,000. */
  maxTraces?: number;
  /** Spans kept across all traces. Default 200,000. */
  maxSpans?: number;
  /** Spans accepted into one trace; more are rejected (reported as partialSuccess.rejectedSpans). Default 10,000. */
  maxSpansPerTrace?: number;
  /** Approximate heap the span store may use. Default 96 MiB (the profile's retention.spanBytes). */
  maxSpanBytes?: number;
  /** Log records kept. Default 10,000. */
  maxLogRecords?: number;
  /** Approximate heap the log store may use. Default 64 MiB. */
  maxLogBytes?: number;
  /** Metric points kept across all series. Default 50,000. */
  maxMetricPoints?: number;
}

export type Retention = Required<RetentionOptions>;

export const DEFAULT_RETENTION: Retention = {
  maxTraces: 10_000,
  maxSpans: 200_000,
  maxSpansPerTrace: 10_000,
  maxSpanBytes: 96 * 1024 * 1024,
  maxLogRecords: 10_000,
  maxLogBytes: 64 * 1024 * 1024,
  maxMetricPoints: 50_000,
};

export function resolveRetention(opts: RetentionOptions | undefined): Retention {
  const r = { ...DEFAULT_RETENTION };
  for (const [k, v] of Object.entries(opts ?? {}) as Array<[keyof Retention, number | undefined]>) {
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v < 1) throw new Error(`telemetry retention ${k} must be a positive number (got ${v})`);
    r[k] = Math.floor(v);
  }
  return r;
}

/** Rough heap cost of a value as the stores hold it; used for the byte bounds, not exact accounting. */
export function approxBytes(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') return 16 + v.length;
  if (typeof v === 'number' || typeof v === 'boolean') return 8;
  if (Array.isArray(v)) {
    let n = 16 + v.length * 4;
    for (const x of v) if (typeof x !== 'number' && typeof x !== 'boolean') n += approxBytes(x);
    return n;
  }
  if (typeof v === 'object') {
    let n = 32;
    for (const x of Object.values(v as Record<string, unknown>)) n += 8 + approxBytes(x);
    return n;
  }
  return 8;
}

export interface EvictionCounters {
  evictedTraces: number;
  evictedSpans: number;
  rejectedSpans: number;
  evictedLogRecords: number;
  evictedMetricPoints: number;
}
