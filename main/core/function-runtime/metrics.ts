// Prometheus metrics on GET /metrics: upstream's function_* series (calls, failures, duration in ms), HTTP
// request count/duration by method and status code, and prom-client's default process metrics.
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface RuntimeMetrics {
  registry: Registry;
  functionCalls: Counter;
  functionFailures: Counter;
  functionDurationMs: Histogram;
  /** Express middleware counting every request except the scrape itself. */
  httpMiddleware(req: Request, res: Response, next: NextFunction): void;
}

export function createMetrics(functionName: string): RuntimeMetrics {
  const registry = new Registry();
  if (functionName) registry.setDefaultLabels({ function: functionName });
  collectDefaultMetrics({ register: registry });
  const functionCalls = new Counter({
    name: 'function_calls_total',
    help: 'Number of calls to user function',
    registers: [registry],
  });
  const functionFailures = new Counter({
    name: 'function_failures_total',
    help: 'Number of exceptions in user function',
    registers: [registry],
  });
  const functionDurationMs = new Histogram({
    name: 'function_duration_miliseconds', // sic: upstream's spelling, kept for dashboard compatibility
    help: 'Duration of user function in miliseconds',
    buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method and status code',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method and status code',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  // Label lookups hash the label set on every call; bind each (method, code) series once.
  const bound = new Map<string, { count: { inc(): void }; seconds: { observe(v: number): void } }>();
  const httpMiddleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/metrics') {
      next();
      return;
    }
    const started = performance.now();
    res.once('finish', () => {
      const key = `${req.method} ${res.statusCode}`;
      let series = bound.get(key);
      if (!series) {
        const labels = { method: req.method, code: String(res.statusCode) };
        series = { count: requests.labels(labels), seconds: duration.labels(labels) };
        bound.set(key, series);
      }
      series.count.inc();
      series.seconds.observe((performance.now() - started) / 1000);
    });
    next();
  };
  return { registry, functionCalls, functionFailures, functionDurationMs, httpMiddleware };
}
