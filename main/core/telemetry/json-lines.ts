// OTLP/JSON export (one Export*ServiceRequest per line) of everything stored, for `telemetry export/import`.
import type { OtlpLogsRequest, OtlpMetric, OtlpMetricsRequest, OtlpTraceRequest } from './otlp-types.js';
import { msToNanos, toAnyValue, toKeyValues } from './otlp-values.js';
import type { LogEntry } from './log-store.js';
import type { MetricSeries } from './metric-store.js';
import type { SpanResource, StoredSpan } from './span-model.js';
import type { TraceEntry } from './span-store.js';

const TRACES_PER_LINE = 200;
const LOGS_PER_LINE = 1000;

function traceLine(traces: TraceEntry[]): OtlpTraceRequest {
  const byResource = new Map<SpanResource, StoredSpan[]>();
  for (const t of traces) {
    for (const s of t.spans) {
      const list = byResource.get(s.resource);
      if (list) list.push(s);
      else byResource.set(s.resource, [s]);
    }
  }
  return {
    resourceSpans: [...byResource].map(([res, spans]) => ({
      resource: { attributes: toKeyValues(res.attrs) },
      scopeSpans: [
        {
          scope: { name: res.scopeName, ...(res.scopeVersion ? { version: res.scopeVersion } : {}) },
          spans: spans.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.kind,
            startTimeUnixNano: msToNanos(s.startMs),
            endTimeUnixNano: msToNanos(s.startMs + s.durationMs),
            attributes: toKeyValues(s.attrs),
            events: (s.events ?? []).map((e) => ({ timeUnixNano: msToNanos(e.timeMs), name: e.name, attributes: toKeyValues(e.attrs) })),
            links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: toKeyValues(l.attrs) })),
            status: { code: s.statusCode, ...(s.statusMessage ? { message: s.statusMessage } : {}) },
          })),
        },
      ],
    })),
  };
}

function logLine(logs: LogEntry[]): OtlpLogsRequest {
  const byResource = new Map<string, LogEntry[]>();
  for (const l of logs) {
    const key = JSON.stringify([l.resource, l.scope ?? '']);
    const list = byResource.get(key);
    if (list) list.push(l);
    else byResource.set(key, [l]);
  }
  return {
    resourceLogs: [...byResource.values()].map((list) => ({
      resource: { attributes: toKeyValues(list[0]!.resource) },
      scopeLogs: [
        {
          scope: { name: list[0]!.scope ?? '' },
          logRecords: list.map((l) => ({
            timeUnixNano: msToNanos(l.timeMs),
            severityNumber: l.severityNumber,
            ...(l.severityText ? { severityText: l.severityText } : {}),
            body: toAnyValue(l.body),
            attributes: toKeyValues(l.attributes),
            ...(l.traceId ? { traceId: l.traceId } : {}),
            ...(l.spanId ? { spanId: l.spanId } : {}),
          })),
        },
      ],
    })),
  };
}

function metric(s: MetricSeries): OtlpMetric {
  const attributes = toKeyValues({ ...s.labels, ...(s.function !== undefined ? { function: s.function } : {}) });
  const base = { name: s.name, ...(s.help ? { description: s.help } : {}), ...(s.unit ? { unit: s.unit } : {}) };
  if (s.kind === 'histogram') {
    return {
      ...base,
      histogram: {
        aggregationTemporality: 2,
        dataPoints: s.points.flatMap((p) =>
          p.histogram ? [{ attributes, timeUnixNano: msToNanos(p.timeMs), count: String(p.histogram.count), sum: p.histogram.sum, bucketCounts: p.histogram.counts.map(String), explicitBounds: p.histogram.bounds }] : [],
        ),
      },
    };
  }
  const dataPoints = s.points.map((p) => ({ attributes, timeUnixNano: msToNanos(p.timeMs), asDouble: p.value ?? 0 }));
  return s.kind === 'counter' ? { ...base, sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } } : { ...base, gauge: { dataPoints } };
}

export function exportLines(traces: Iterable<TraceEntry>, logs: LogEntry[], series: MetricSeries[]): string {
  const lines: string[] = [];
  let batch: TraceEntry[] = [];
  for (const t of traces) {
    batch.push(t);
    if (batch.length >= TRACES_PER_LINE) {
      lines.push(JSON.stringify(traceLine(batch)));
      batch = [];
    }
  }
  if (batch.length) lines.push(JSON.stringify(traceLine(batch)));
  for (let i = 0; i < logs.length; i += LOGS_PER_LINE) lines.push(JSON.stringify(logLine(logs.slice(i, i + LOGS_PER_LINE))));
  const withPoints = series.filter((s) => s.points.length > 0);
  if (withPoints.length) {
    const req: OtlpMetricsRequest = { resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ scope: { name: 'kyma-local' }, metrics: withPoints.map(metric) }] }] };
    lines.push(JSON.stringify(req));
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
