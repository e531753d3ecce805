// The OTLP request shapes as they arrive from either encoding: protobuf-decoded messages (ids as bytes,
// 64-bit numbers as Long) or OTLP/JSON (ids as hex strings, 64-bit numbers as decimal strings or numbers).
// Every reader in this module accepts both, so ingest needs no intermediate copy.

/** A 64-bit integer: protobufjs's Long, a JSON decimal string, or a plain number. */
export type OtlpLong = number | string | { toNumber(): number; toString(): string };
/** Bytes: protobuf's Uint8Array, or OTLP/JSON's hex string (trace/span ids) or base64 string (bytesValue). */
export type OtlpBytes = Uint8Array | string;

export interface OtlpAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: OtlpLong | null;
  doubleValue?: number | string | null;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: OtlpBytes | null;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue | null;
}

export interface OtlpResource {
  attributes?: OtlpKeyValue[] | null;
}

export interface OtlpScope {
  name?: string | null;
  version?: string | null;
}

export interface OtlpSpanEvent {
  timeUnixNano?: OtlpLong | null;
  name?: string | null;
  attributes?: OtlpKeyValue[] | null;
}

export interface OtlpSpanLink {
  traceId?: OtlpBytes | null;
  spanId?: OtlpBytes | null;
  attributes?: OtlpKeyValue[] | null;
}

export interface OtlpSpan {
  traceId?: OtlpBytes | null;
  spanId?: OtlpBytes | null;
  parentSpanId?: OtlpBytes | null;
  name?: string | null;
  kind?: number | string | null;
  startTimeUnixNano?: OtlpLong | null;
  endTimeUnixNano?: OtlpLong | null;
  attributes?: OtlpKeyValue[] | null;
  events?: OtlpSpanEvent[] | null;
  links?: OtlpSpanLink[] | null;
  status?: { code?: number | string | null; message?: string | null } | null;
}

export interface OtlpTraceRequest {
  resourceSpans?: Array<{ resource?: OtlpResource | null; scopeSpans?: Array<{ scope?: OtlpScope | null; spans?: OtlpSpan[] | null }> | null }> | null;
}

export interface OtlpLogRecord {
  timeUnixNano?: OtlpLong | null;
  observedTimeUnixNano?: OtlpLong | null;
  severityNumber?: number | string | null;
  severityText?: string | null;
  body?: OtlpAnyValue | null;
  attributes?: OtlpKeyValue[] | null;
  traceId?: OtlpBytes | null;
  spanId?: OtlpBytes | null;
}

export interface OtlpLogsRequest {
  resourceLogs?: Array<{ resource?: OtlpResource | null; scopeLogs?: Array<{ scope?: OtlpScope | null; logRecords?: OtlpLogRecord[] | null }> | null }> | null;
}

export interface OtlpNumberPoint {
  attributes?: OtlpKeyValue[] | null;
  timeUnixNano?: OtlpLong | null;
  asDouble?: number | string | null;
  asInt?: OtlpLong | null;
}

export interface OtlpHistogramPoint {
  attributes?: OtlpKeyValue[] | null;
  timeUnixNano?: OtlpLong | null;
  count?: OtlpLong | null;
  sum?: number | string | null;
  bucketCounts?: OtlpLong[] | null;
  explicitBounds?: Array<number | string> | null;
}

export interface OtlpMetric {
  name?: string | null;
  description?: string | null;
  unit?: string | null;
  gauge?: { dataPoints?: OtlpNumberPoint[] | null } | null;
  sum?: { dataPoints?: OtlpNumberPoint[] | null; aggregationTemporality?: number | string | null; isMonotonic?: boolean | null } | null;
  histogram?: { dataPoints?: OtlpHistogramPoint[] | null; aggregationTemporality?: number | string | null } | null;
}

export interface OtlpMetricsRequest {
  resourceMetrics?: Array<{ resource?: OtlpResource | null; scopeMetrics?: Array<{ scope?: OtlpScope | null; metrics?: OtlpMetric[] | null }> | null }> | null;
}

/** What an Export*ServiceResponse's partialSuccess carries; absent when everything was accepted. */
export interface IngestResult {
  accepted: number;
  rejected: number;
  errorMessage?: string;
}
