// Telemetry query answers (traces, logs, metrics) as /kl/v1/traces, /logs, /metrics and the live stream send them.

/** An OTLP attribute value as JSON. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatusName = 'unset' | 'ok' | 'error';

export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  service: string;
  startTime: string;
  /** Milliseconds since the epoch (fractional). */
  startMs: number;
  durationMs: number;
  status: { code: SpanStatusName; message?: string };
  attributes: Record<string, AttrValue>;
  events: Array<{ name: string; time: string; timeMs: number; attributes: Record<string, AttrValue> }>;
  links: Array<{ traceId: string; spanId: string; attributes: Record<string, AttrValue> }>;
  resource: Record<string, AttrValue>;
  scope: { name: string; version?: string };
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  startTime: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  error: boolean;
  services: string[];
}

export interface TraceDetail extends TraceSummary {
  spans: SpanView[];
}

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Where a record came from; the function fields are read from Kyma/OTel resource attributes. */
export interface LogSource {
  service: string;
  function?: string;
  namespace?: string;
  replica?: string;
  revision?: string;
}

export interface LogEntry {
  time: string;
  timeMs: number;
  level: LogLevelName;
  severityNumber: number;
  severityText?: string;
  body: string;
  attributes: Record<string, AttrValue>;
  traceId?: string;
  spanId?: string;
  source: LogSource;
  resource: Record<string, AttrValue>;
  scope?: string;
}

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface HistogramValue {
  count: number;
  sum: number;
  /** Upper bounds; the implicit +Inf bucket is last in `counts`. */
  bounds: number[];
  /** Per-bucket (not cumulative) counts, bounds.length + 1 of them. */
  counts: number[];
}

export interface MetricPoint {
  time: string;
  timeMs: number;
  value?: number;
  histogram?: HistogramValue;
}

export interface MetricSeries {
  name: string;
  kind: MetricKind;
  function?: string;
  labels: Record<string, string>;
  help?: string;
  unit?: string;
  points: MetricPoint[];
}
