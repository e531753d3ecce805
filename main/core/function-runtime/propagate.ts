// Outgoing trace propagation for the function's own HTTP calls. Upstream gets this from
// @opentelemetry/instrumentation-http (http/https modules only); here, so that a call from one function to
// another joins the same trace, the active context is injected (W3C + B3 headers, via the registered
// propagator) into requests made with http/https.request/get and with the built-in fetch (undici).
// No client spans are made: the callee's server span becomes a child of the caller's server span.
// Requests that already carry a traceparent (emitCloudEvent, user-set) and those made while tracing is
// suppressed (the OTLP exporter's own) are left alone.
import { context, propagation, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import dc from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';

/** Headers for the active context, or undefined when there is nothing to propagate. */
function traceHeaders(): Record<string, string> | undefined {
  const ctx = context.active();
  if (isTracingSuppressed(ctx)) return undefined;
  const sc = trace.getSpan(ctx)?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

interface UndiciRequest {
  headers: string | unknown[];
  addHeader(name: string, value: string): void;
}

function hasTraceparent(headers: string | unknown[]): boolean {
  if (typeof headers === 'string') return /(^|\r\n)traceparent:/i.test(headers);
  return headers.some((h, i) => i % 2 === 0 && String(h).toLowerCase() === 'traceparent');
}

function onUndiciRequest(message: unknown): void {
  const request = (message as { request?: UndiciRequest }).request;
  if (!request || hasTraceparent(request.headers)) return;
  for (const [k, v] of Object.entries(traceHeaders() ?? {})) request.addHeader(k, v);
}

type RequestFn = (...args: unknown[]) => http.ClientRequest;

function injectInto(req: http.ClientRequest): void {
  if (req.headersSent || req.getHeader('traceparent') !== undefined) return;
  try {
    for (const [k, v] of Object.entries(traceHeaders() ?? {})) req.setHeader(k, v);
  } catch {
    // Headers given as a raw array cannot be extended; the call goes out untraced rather than failing.
  }
}

function wrap(mod: typeof http | typeof https): void {
  const target = mod as unknown as Record<'request' | 'get', RequestFn>;
  const original = target.request;
  target.request = function tracedRequest(this: unknown, ...args: unknown[]): http.ClientRequest {
    const req = original.apply(this, args);
    injectInto(req);
    return req;
  };
  // The original get() ends the request (headers rendered) before returning, too late to add headers.
  target.get = function tracedGet(this: unknown, ...args: unknown[]): http.ClientRequest {
    const req = target.request.apply(this, args);
    req.end();
    return req;
  };
}

export function installOutgoingPropagation(): void {
  dc.subscribe('undici:request:create', onUndiciRequest);
  wrap(http);
  wrap(https);
  // Let `import { request } from 'node:http'` in ESM handlers see the wrapped functions too.
  syncBuiltinESMExports();
}
