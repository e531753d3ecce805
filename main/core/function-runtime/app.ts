// The Express 4 application: the same routes, parsers and CORS handling as upstream server.mjs.
import type { Tracer } from '@opentelemetry/api';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RuntimeConfig } from './config.js';
import { functionRoute } from './invoke.js';
import type { UserFunction } from './load-handler.js';
import type { RuntimeMetrics } from './metrics.js';
import { serverSpanMiddleware } from './server-span.js';

function cors(req: Request, res: Response, next: NextFunction): void {
  res.header('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') {
    next();
    return;
  }
  // Preflight: allow whatever method and headers are asked for, as upstream does.
  const method = req.headers['access-control-request-method'];
  const headers = req.headers['access-control-request-headers'];
  if (method) res.header('Access-Control-Allow-Methods', method);
  if (headers) res.header('Access-Control-Allow-Headers', headers);
  res.end();
}

/** Body-parser failures (413 over REQ_MB_LIMIT, 400 malformed JSON) answered as short text, not HTML. */
function bodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e.status ?? e.statusCode;
  if (!status || status < 400 || status >= 500) {
    next(err);
    return;
  }
  const message =
    e.type === 'entity.too.large'
      ? `Request body too large: the limit is REQ_MB_LIMIT=${String(res.locals.limitMb)} MB`
      : (e.message ?? 'Bad request');
  // The parsers run before the CORS middleware; without this a browser could not read why its call failed.
  res.header('Access-Control-Allow-Origin', '*');
  res.status(status).type('text/plain').send(message);
}

/**
 * Upstream's four parsers (JSON incl. CloudEvents, text, urlencoded, raw for anything else), run as one
 * middleware: a request without a body (most GETs) skips them all, and one with a body runs only the parser
 * its Content-Type selects, instead of passing four router layers per request.
 */
function bodyParsers(limit: string, limitMb: number): express.RequestHandler {
  const json = express.json({ type: ['application/json', 'application/cloudevents+json'], limit, strict: false });
  const text = express.text({ type: ['text/*'], limit });
  const urlencoded = express.urlencoded({ limit, extended: true });
  const raw = express.raw({ limit, type: () => true });
  return (req, res, next) => {
    res.locals.limitMb = limitMb;
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      next();
      return;
    }
    const ct = (req.headers['content-type'] ?? '').toLowerCase();
    const parser = /^application\/(cloudevents\+)?json\b/.test(ct) ? json : ct.startsWith('text/') ? text : ct.startsWith('application/x-www-form-urlencoded') ? urlencoded : raw;
    parser(req, res, next);
  };
}

export function createApp(opts: {
  config: RuntimeConfig;
  tracer: Tracer;
  /** False when no trace exporter is configured: request spans then only carry the trace context. */
  exporting?: boolean;
  metrics: RuntimeMetrics;
  userFunction: UserFunction;
}): express.Express {
  const { config, tracer, metrics } = opts;
  const app = express();
  app.disable('x-powered-by');
  const limit = `${config.bodyLimitMb}mb`;
  app.use(metrics.httpMiddleware);
  app.use(serverSpanMiddleware(tracer, opts.exporting ?? true));
  app.use(bodyParsers(limit, config.bodyLimitMb));
  app.use(bodyErrors);

  app.get('/healthz', (_req, res) => void res.status(200).send('OK'));
  app.get('/metrics', (_req, res, next) => {
    metrics.registry
      .metrics()
      .then((text) => res.type(metrics.registry.contentType).send(text))
      .catch(next);
  });
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.use(cors);
  app.all('*', functionRoute(() => opts.userFunction, config, tracer, metrics));
  return app;
}
