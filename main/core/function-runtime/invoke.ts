// Calls the user function for one request and turns its result into the HTTP response
// (upstream server.mjs sendResponse + lib/helper.js handleError/handleTimeOut).
import { context, trace, type Tracer } from '@opentelemetry/api';
import type { Request, Response } from 'express';
import type { RuntimeConfig } from './config.js';
import { buildContext, buildEvent, InvalidCloudEventError } from './event.js';
import type { UserFunction } from './load-handler.js';
import type { RuntimeMetrics } from './metrics.js';
import { recordFunctionError, requestContext } from './server-span.js';
import { pauseAwareTimeout } from './debug-clock.js';

type SendResponse = (body?: unknown, status?: number, headers?: Record<string, string>) => void;

function makeSendResponse(res: Response): SendResponse {
  return (body, status, headers) => {
    if (res.writableEnded || res.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) res.set(name, value);
    if (body) {
      if (status) res.status(status);
      if (Buffer.isBuffer(body)) res.end(body);
      else if (typeof body === 'object') res.json(body);
      else res.end(String(body));
    } else if (status) {
      res.sendStatus(status);
    } else {
      res.end();
    }
  };
}

/** Upstream: a thrown string becomes the body; anything else is "Internal server error". */
export function errorText(err: unknown): string {
  return typeof err === 'string' ? err : 'Internal server error';
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

function clearer(timer: NodeJS.Timeout): () => void {
  return () => clearTimeout(timer);
}

export function functionRoute(getFn: () => UserFunction, config: RuntimeConfig, tracer: Tracer, metrics: RuntimeMetrics) {
  const fnContext = buildContext(config);
  return (req: Request, res: Response): void => {
    const ctx = requestContext(req);
    context.with(ctx, () => {
      const span = trace.getSpan(ctx);
      const send = makeSendResponse(res);
      const timeout = (): void => send(undefined, 408);
      const cancel = config.debugging ? pauseAwareTimeout(timeout, config.timeoutSec * 1000) : clearer(setTimeout(timeout, config.timeoutSec * 1000));
      res.once('close', cancel);
      metrics.functionCalls.inc();
      const started = performance.now();
      const stop = (): void => metrics.functionDurationMs.observe(performance.now() - started);
      const fail = (err: unknown): void => {
        console.error(err);
        const text = errorText(err);
        recordFunctionError(span, text);
        metrics.functionFailures.inc();
        send(text, 500);
      };
      let out: unknown;
      try {
        const event = buildEvent(req, res, tracer, config);
        // kyma-local debug --break: step into the next line to enter the handler with this event.
        if (config.debugBreak) debugger; // eslint-disable-line no-debugger
        out = getFn()(event, fnContext, send);
      } catch (err) {
        stop();
        if (err instanceof InvalidCloudEventError) send(err.message, 400);
        else fail(err);
        return;
      }
      if (isPromiseLike(out)) {
        Promise.resolve(out).then(
          (result) => {
            stop();
            send(result);
          },
          (err: unknown) => {
            stop();
            fail(err);
          },
        );
      } else {
        stop();
        send(out);
      }
    });
  };
}
