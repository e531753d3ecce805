// OTLP protobuf encode/decode with the OpenTelemetry JS project's generated protobufjs code (the
// opentelemetry-proto definitions compiled by pbjs, shipped in @opentelemetry/otlp-transformer up to 0.214;
// installed under the alias otlp-transformer-protobuf because later releases replaced it with a write-only encoder).
import { createRequire } from 'node:module';
import type { OtlpLogsRequest, OtlpMetricsRequest, OtlpTraceRequest } from './otlp-types.js';
import { OtlpDecodeError } from './otlp-values.js';

interface Writer {
  uint32(v: number): Writer;
  int32(v: number): Writer;
  string(v: string): Writer;
  finish(): Uint8Array;
}

interface MessageType<T> {
  decode(buf: Uint8Array): T;
  encode(msg: object): { finish(): Uint8Array };
}

interface Signal<Req> {
  ExportRequest: MessageType<Req>;
  ExportResponse: MessageType<object>;
}

interface Root {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: { ExportTraceServiceRequest: MessageType<OtlpTraceRequest>; ExportTraceServiceResponse: MessageType<object> } };
        logs: { v1: { ExportLogsServiceRequest: MessageType<OtlpLogsRequest>; ExportLogsServiceResponse: MessageType<object> } };
        metrics: { v1: { ExportMetricsServiceRequest: MessageType<OtlpMetricsRequest>; ExportMetricsServiceResponse: MessageType<object> } };
      };
    };
  };
}

const ROOT_PATH = 'otlp-transformer-protobuf/build/src/generated/root.js';
const require = createRequire(import.meta.url);
const root = require(ROOT_PATH) as Root;
const protobuf = createRequire(require.resolve(ROOT_PATH))('protobufjs/minimal') as { Writer: { create(): Writer } };
const c = root.opentelemetry.proto.collector;

export const TRACES: Signal<OtlpTraceRequest> = { ExportRequest: c.trace.v1.ExportTraceServiceRequest, ExportResponse: c.trace.v1.ExportTraceServiceResponse };
export const LOGS: Signal<OtlpLogsRequest> = { ExportRequest: c.logs.v1.ExportLogsServiceRequest, ExportResponse: c.logs.v1.ExportLogsServiceResponse };
export const METRICS: Signal<OtlpMetricsRequest> = { ExportRequest: c.metrics.v1.ExportMetricsServiceRequest, ExportResponse: c.metrics.v1.ExportMetricsServiceResponse };

export function decodeRequest<Req>(signal: Signal<Req>, body: Uint8Array): Req {
  try {
    return signal.ExportRequest.decode(body);
  } catch (err) {
    throw new OtlpDecodeError(`body is not a valid protobuf ${signal === TRACES ? 'ExportTraceServiceRequest' : signal === LOGS ? 'ExportLogsServiceRequest' : 'ExportMetricsServiceRequest'}: ${(err as Error).message}`);
  }
}

/** For tests and the benchmark client: the same generated code encodes requests. */
export function encodeRequest<Req extends object>(signal: Signal<Req>, req: Req): Uint8Array {
  return signal.ExportRequest.encode(req).finish();
}

export function encodeResponse(signal: Signal<unknown>, response: object): Uint8Array {
  return signal.ExportResponse.encode(response).finish();
}

/** google.rpc.Status { int32 code = 1; string message = 2; } — what OTLP/HTTP returns with a 4xx/5xx. */
export function encodeStatus(code: number, message: string): Uint8Array {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}
