// One SERVER span per function request, named and attributed like upstream's HTTP instrumentation
// (old HTTP semantic conventions), except that the name carries the request path ("GET /orders") rather than
// the catch-all route, which says more in a local trace view.
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import type { NextFunction, Request, Response } from 'express';

const ids = new RandomIdGenerator();

/**
 * Without an exporter a recorded span goes nowhere, yet building it (ten attributes, the SDK span, its end
 * listeners) was about a third of the runtime's per-request cost. This gives the request the same trace
 * context — the caller's trace id and sampled flag, a fresh span id — so propagation to outgoing calls,
 * emitted events and the function's own child spans is unchanged.
 */
function contextOnly(parent: Context): Context {
  const p = trace.getSpanContext(parent);
  const span = trace.wrapSpanContext({
    traceId: p?.traceId ?? ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: p?.traceFlags ?? TraceFlags.SAMPLED,
  });
  return trace.setSpan(parent, span);
}

/** Paths that are not traced (upstream's ignoredTargets). */
export const UNTRACED_PATHS = new Set(['/healthz', '/metrics', '/favicon.ico']);

const requestContexts = new WeakMap<Request, Context>();
const spansWithError = new WeakSet<Span>();

/** Marks the span failed with the function's error text, as upstream's helper.handleError does. */
export function recordFunctionError(span: Span | undefined, text: string): void {
  if (!span) return;
  spansWithError.add(span);
  span.setStatus({ code: SpanStatusCode.ERROR, message: text });
  span.setAttribute('error', text);
}

/**
 * The trace context of a request. Body parsing continues in socket callbacks that do not carry the async
 * context of the middleware that started the span, so handlers re-enter it from here.
 */
export function requestContext(req: Request): Context {
  return requestContexts.get(req) ?? context.active();
}

export function serverSpanMiddleware(tracer: Tracer, exporting = true) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (UNTRACED_PATHS.has(req.path)) {
      next();
      return;
    }
    const parent = propagation.extract(context.active(), req.headers);
    if (!exporting) {
      const ctx = contextOnly(parent);
      requestContexts.set(req, ctx);
      context.with(ctx, next);
      return;
    }
    const host = req.headers.host ?? '';
    const span = tracer.startSpan(
      `${req.method} ${req.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.method': req.method,
          'http.target': req.originalUrl,
          'http.url': `${req.protocol}://${host}${req.originalUrl}`,
          'http.host': host,
          'http.scheme': req.protocol,
          'http.flavor': req.httpVersion,
          'http.route': req.path,
          'http.user_agent': req.headers['user-agent'] ?? '',
          'net.host.port': req.socket.localPort ?? 0,
          'net.peer.ip': req.socket.remoteAddress ?? '',
        },
      },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    requestContexts.set(req, ctx);
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      span.setAttribute('http.status_code', res.statusCode);
      if (res.statusCode >= 500 && !spansWithError.has(span)) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute('http.aborted', true);
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(ctx, next);
  };
}
