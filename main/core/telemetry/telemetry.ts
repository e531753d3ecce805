// The telemetry core: stores, queries, live listeners, Prometheus text and OTLP/JSON export/import.
import { exportLines } from './json-lines.js';
import { LogStore, severityOf, LOG_LEVELS, type LogEntry, type LogLevelName, type LogQuery } from './log-store.js';
import { MetricStore, type MetricKind, type MetricQuery, type MetricSeries, type RecordMetricOptions } from './metric-store.js';
import type { IngestResult, OtlpKeyValue, OtlpLogsRequest, OtlpMetricsRequest, OtlpTraceRequest } from './otlp-types.js';
import { msToNanos, OtlpDecodeError, toAnyValue, toKeyValues, type AttrValue } from './otlp-values.js';
import { prometheusText } from './prometheus.js';
import { resolveRetention, type EvictionCounters, type Retention, type RetentionOptions } from './retention.js';
import { getTrace, searchTraces, type TraceQuery } from './span-query.js';
import { spanView, type SpanView, type TraceDetail, type TraceSummary } from './span-model.js';
import { SpanStore } from './span-store.js';
import { findUserJsonProblem, MAX_JSON_DEPTH } from '../model/index.js';

export interface TelemetryOptions {
  retention?: RetentionOptions;
}

export interface RecordLogInput {
  /** Default: now. */
  time?: Date | string | number;
  level: LogLevelName;
  body: string;
  attributes?: Record<string, AttrValue>;
  resource: { service?: string; function?: string; namespace?: string; replica?: string; revision?: string };
  traceId?: string;
  spanId?: string;
}

export interface TelemetryStats extends EvictionCounters {
  traces: number;
  spans: number;
  spanBytes: number;
  logRecords: number;
  logBytes: number;
  metricSeries: number;
  metricPoints: number;
  retention: Retention;
}

export interface ImportResult {
  spans: number;
  logRecords: number;
  metricSeries: number;
  lines: number;
}

export interface Telemetry {
  /** Changes the bounds (from the cluster profile) and evicts at once what no longer fits. */
  setRetention(opts: RetentionOptions): void;
  ingestSpans(req: OtlpTraceRequest): IngestResult;
  ingestLogs(req: OtlpLogsRequest): IngestResult;
  ingestMetrics(req: OtlpMetricsRequest): IngestResult;
  recordLog(input: RecordLogInput): void;
  /** counter: add `value`; gauge: set it; histogram: observe it. The `function` attribute names the function. */
  recordMetric(name: string, kind: MetricKind, value: number, attributes?: Record<string, string | number | boolean>, opts?: RecordMetricOptions): void;
  searchTraces(q?: TraceQuery): TraceSummary[];
  getTrace(traceId: string): TraceDetail | undefined;
  /** Every stored span that ended at or after `sinceMs` (the app map's window), oldest trace first. */
  recentSpans(sinceMs: number): SpanView[];
  queryLogs(q?: LogQuery): LogEntry[];
  queryMetrics(q?: MetricQuery): MetricSeries[];
  onSpans(listener: (spans: SpanView[]) => void): () => void;
  onLogs(listener: (logs: LogEntry[]) => void): () => void;
  onMetrics(listener: (series: MetricSeries[]) => void): () => void;
  prometheusText(): string;
  exportJsonLines(): string;
  /** Merges OTLP/JSON lines; spans already stored (same traceId+spanId) are skipped. */
  importJsonLines(text: string): ImportResult;
  stats(): TelemetryStats;
}

class Listeners<T> {
  private readonly set = new Set<(items: T[]) => void>();
  get active(): boolean {
    return this.set.size > 0;
  }
  add(l: (items: T[]) => void): () => void {
    this.set.add(l);
    return () => this.set.delete(l);
  }
  emit(items: T[]): void {
    if (items.length === 0) return;
    for (const l of this.set) {
      try {
        l(items);
      } catch {
        // a failing live-stream consumer must not fail ingest for everyone else
      }
    }
  }
}

function timeMs(t: RecordLogInput['time']): number {
  if (t === undefined) return Date.now();
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`recordLog: time "${String(t)}" is not a date`);
  return ms;
}

function logResource(r: RecordLogInput['resource']): OtlpKeyValue[] {
  const attrs: Record<string, string> = { 'service.name': r.service ?? r.function ?? 'kyma-local' };
  if (r.function) attrs['faas.name'] = r.function;
  if (r.namespace) attrs['k8s.namespace.name'] = r.namespace;
  if (r.replica) attrs['faas.instance'] = r.replica;
  if (r.revision) attrs['faas.version'] = r.revision;
  return toKeyValues(attrs);
}

export function createTelemetry(opts: TelemetryOptions = {}): Telemetry {
  const retention = resolveRetention(opts.retention);
  const spans = new SpanStore(retention);
  const logs = new LogStore(retention);
  const metrics = new MetricStore(retention);
  const spanListeners = new Listeners<SpanView>();
  const logListeners = new Listeners<LogEntry>();
  const metricListeners = new Listeners<MetricSeries>();

  const t: Telemetry = {
    ingestSpans(req) {
      const { result, added } = spans.ingest(req);
      if (spanListeners.active) spanListeners.emit(added.map(spanView));
      return result;
    },
    ingestLogs(req) {
      const { result, added } = logs.ingest(req);
      logListeners.emit(added);
      return result;
    },
    ingestMetrics(req) {
      const { result, added } = metrics.ingest(req);
      metricListeners.emit(added);
      return result;
    },
    recordLog(input) {
      if (!LOG_LEVELS.includes(input.level)) throw new Error(`recordLog: level must be one of ${LOG_LEVELS.join(', ')} (got "${String(input.level)}")`);
      t.ingestLogs({
        resourceLogs: [
          {
            resource: { attributes: logResource(input.resource) },
            scopeLogs: [
              {
                scope: { name: 'kyma-local' },
                logRecords: [
                  {
                    timeUnixNano: msToNanos(timeMs(input.time)),
                    severityNumber: severityOf(input.level),
                    severityText: input.level.toUpperCase(),
                    body: toAnyValue(input.body),
                    attributes: toKeyValues(input.attributes),
                    ...(input.traceId ? { traceId: input.traceId } : {}),
                    ...(input.spanId ? { spanId: input.spanId } : {}),
                  },
                ],
              },
            ],
          },
        ],
      });
    },
    recordMetric(name, kind, value, attributes = {}, options = {}) {
      const series = metrics.record(name, kind, value, attributes, options);
      metricListeners.emit([series]);
    },
    searchTraces: (q = {}) => searchTraces(spans, q),
    getTrace: (id) => getTrace(spans, id),
    recentSpans(sinceMs) {
      const out: SpanView[] = [];
      for (const t of spans.oldestFirst()) {
        if (t.endMs < sinceMs) continue;
        for (const s of t.spans) if (s.startMs + s.durationMs >= sinceMs) out.push(spanView(s));
      }
      return out;
    },
    queryLogs: (q = {}) => logs.query(q),
    queryMetrics: (q = {}) => metrics.query(q),
    onSpans: (l) => spanListeners.add(l),
    onLogs: (l) => logListeners.add(l),
    onMetrics: (l) => metricListeners.add(l),
    prometheusText: () => prometheusText(metrics),
    exportJsonLines: () => exportLines(spans.oldestFirst(), logs.all(), metrics.query({})),
    importJsonLines(text) {
      const result: ImportResult = { spans: 0, logRecords: 0, metricSeries: 0, lines: 0 };
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        let obj: unknown;
        try {
          obj = JSON.parse(line);
        } catch (err) {
          throw new OtlpDecodeError(`line ${i + 1} is not JSON: ${(err as Error).message}`);
        }
        if (typeof obj !== 'object' || obj === null) throw new OtlpDecodeError(`line ${i + 1} is not an OTLP/JSON request object`);
        const problem = findUserJsonProblem(obj);
        if (problem) throw new OtlpDecodeError(`line ${i + 1}: ${problem.problem === 'too-deep' ? `nested more than ${MAX_JSON_DEPTH} levels deep` : 'the key "__proto__" is not allowed'} (at ${problem.path})`);
        result.lines++;
        if ('resourceSpans' in obj) {
          const { added } = spans.ingest(obj as OtlpTraceRequest);
          result.spans += added.length;
          if (spanListeners.active) spanListeners.emit(added.map(spanView));
        } else if ('resourceLogs' in obj) {
          const { added } = logs.ingest(obj as OtlpLogsRequest, true);
          result.logRecords += added.length;
          logListeners.emit(added);
        } else if ('resourceMetrics' in obj) {
          const { added } = metrics.ingest(obj as OtlpMetricsRequest, true);
          result.metricSeries += added.length;
          metricListeners.emit(added);
        } else {
          throw new OtlpDecodeError(`line ${i + 1} has none of resourceSpans, resourceLogs, resourceMetrics`);
        }
      });
      return result;
    },
    setRetention(opts) {
      Object.assign(retention, resolveRetention(opts));
      spans.enforce();
      logs.enforce();
      metrics.enforce();
    },
    stats: () => ({
      traces: spans.traces.size,
      spans: spans.spanCount,
      spanBytes: spans.bytes,
      logRecords: logs.size,
      logBytes: logs.bytes,
      metricSeries: metrics.series.size,
      metricPoints: metrics.pointCount,
      evictedTraces: spans.evictedTraces,
      evictedSpans: spans.evictedSpans,
      rejectedSpans: spans.rejectedSpans,
      evictedLogRecords: logs.evicted,
      evictedMetricPoints: metrics.evicted,
      retention,
    }),
  };
  return t;
}
