import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../model/index.js';
import { ROUTES } from '../../api/index.js';
import { LOG_LEVELS, OtlpDecodeError, PROMETHEUS_CONTENT_TYPE, type LogLevelName, type LogQuery, type Telemetry, type TraceQuery } from '../../telemetry/index.js';
import type { Router } from '../http/router.js';
import { readBody, sendError, sendJson, startNdjson } from '../http/toolkit.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "250ms", "5s", "2m" → milliseconds; a bare number is milliseconds. */
export function parseDurationMs(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new ApiError(400, 'BadRequest', `${what} "${text}" is not a duration (use e.g. 250ms, 5s, 2m, 1h)`);
  return Number(m[1]) * UNITS[m[2] ?? 'ms']!;
}

/** since/until: an ISO time, epoch milliseconds, or a duration back from now ("5m"). */
function parseTime(text: string, what: string, now = Date.now()): number {
  if (/^\d{12,}$/.test(text)) return Number(text);
  if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(text)) return now - parseDurationMs(text, what);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new ApiError(400, 'BadRequest', `${what} "${text}" is not a time (use an ISO time, epoch ms, or a duration ago like 5m)`);
  return t;
}

function parseLimit(sp: URLSearchParams): number | undefined {
  const v = sp.get('limit');
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ApiError(400, 'BadRequest', `limit must be a positive integer (got "${v}")`);
  return n;
}

function timeRange(sp: URLSearchParams): { since?: number; until?: number } {
  const out: { since?: number; until?: number } = {};
  const since = sp.get('since');
  const until = sp.get('until');
  if (since) out.since = parseTime(since, 'since');
  if (until) out.until = parseTime(until, 'until');
  return out;
}

export function traceQuery(sp: URLSearchParams): TraceQuery {
  const q: TraceQuery = { ...timeRange(sp) };
  const limit = parseLimit(sp);
  if (limit) q.limit = limit;
  if (sp.get('service')) q.service = sp.get('service')!;
  if (sp.get('operation')) q.operation = sp.get('operation')!;
  const min = sp.get('minDurationMs');
  if (min) q.minDurationMs = parseDurationMs(min, 'minDurationMs');
  const status = sp.get('status');
  if (status) {
    if (status !== 'ok' && status !== 'error') throw new ApiError(400, 'BadRequest', `status must be ok or error (got "${status}")`);
    q.status = status;
  }
  for (const a of sp.getAll('attr')) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new ApiError(400, 'BadRequest', `attr must be key=value (got "${a}")`);
    (q.attributes ??= {})[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return q;
}

export function logQuery(sp: URLSearchParams): LogQuery {
  const q: LogQuery = { ...timeRange(sp) };
  const limit = parseLimit(sp);
  if (limit) q.limit = limit;
  for (const k of ['function', 'namespace', 'replica', 'revision', 'traceId'] as const) {
    const v = sp.get(k);
    if (v) q[k] = v;
  }
  const text = sp.get('q');
  if (text) q.text = text;
  const level = sp.get('level');
  if (level) {
    if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ApiError(400, 'BadRequest', `level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`);
    q.level = level as LogLevelName;
  }
  return q;
}

function guarded(fn: (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void> | void) {
  return async (req: IncomingMessage, res: ServerResponse, params: string[], url: URL): Promise<void> => {
    try {
      await fn(req, res, params, url);
    } catch (err) {
      sendError(res, err instanceof OtlpDecodeError ? new ApiError(400, 'BadRequest', err.message) : err);
    }
  };
}

const KINDS = new Set(['spans', 'logs', 'metrics']);

/** Traces, logs, metrics, the live telemetry stream, export/import, and GET /metrics (Prometheus text). */
export function registerTelemetryRoutes(router: Router, telemetry: Telemetry): void {
  router.add('GET', ROUTES.traces, guarded((_req, res, _p, url) => sendJson(res, 200, { items: telemetry.searchTraces(traceQuery(url.searchParams)) })));

  router.add(
    'GET',
    ROUTES.trace,
    guarded((_req, res, [id]) => {
      const trace = telemetry.getTrace(id!);
      if (!trace) throw new ApiError(404, 'NotFound', `trace ${id} not found (it may not have arrived yet, or was evicted by retention)`);
      sendJson(res, 200, trace);
    }),
  );

  router.add('GET', ROUTES.logs, guarded((_req, res, _p, url) => sendJson(res, 200, { items: telemetry.queryLogs(logQuery(url.searchParams)) })));

  router.add(
    'GET',
    ROUTES.metrics,
    guarded((_req, res, _p, url) => {
      const sp = url.searchParams;
      sendJson(res, 200, { items: telemetry.queryMetrics({ ...(sp.get('function') ? { function: sp.get('function')! } : {}), ...(sp.get('name') ? { name: sp.get('name')! } : {}) }) });
    }),
  );

  router.add(
    'GET',
    ROUTES.telemetryStream,
    guarded((req, res, _p, url) => {
      const kinds = (url.searchParams.get('kinds') ?? 'spans,logs,metrics').split(',').filter(Boolean);
      const bad = kinds.find((k) => !KINDS.has(k));
      if (bad) throw new ApiError(400, 'BadRequest', `kinds takes spans, logs and/or metrics (got "${bad}")`);
      const emit = startNdjson(res);
      const offs: Array<() => void> = [];
      if (kinds.includes('spans')) offs.push(telemetry.onSpans((items) => items.forEach((s) => emit({ type: 'span', ...s }))));
      if (kinds.includes('logs')) offs.push(telemetry.onLogs((items) => items.forEach((l) => emit({ type: 'log', ...l }))));
      if (kinds.includes('metrics')) offs.push(telemetry.onMetrics((items) => items.forEach((m) => emit({ type: 'metric', ...m }))));
      req.on('close', () => offs.forEach((off) => off()));
    }),
  );

  router.add(
    'GET',
    ROUTES.telemetryExport,
    guarded((_req, res) => {
      const text = telemetry.exportJsonLines();
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'Content-Disposition': 'attachment; filename="telemetry.otlp.jsonl"' });
      res.end(text);
    }),
  );

  router.add(
    'POST',
    ROUTES.telemetryImport,
    guarded(async (req, res) => {
      const body = await readBody(req, 256 * 1024 * 1024, 'split the export into smaller files');
      sendJson(res, 200, telemetry.importJsonLines(body.toString('utf8')));
    }),
  );

  router.add(
    'GET',
    ROUTES.prometheus,
    guarded((_req, res) => {
      const text = telemetry.prometheusText();
      res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
      res.end(text);
    }),
  );
}
