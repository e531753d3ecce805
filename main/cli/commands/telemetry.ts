import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { client } from '../context.js';
import { CliError } from '../cli-error.js';
import { table } from '../output.js';
import { apiPath, type LogEntry, type TraceSummary } from '../../core/api/index.js';

// The waterfall needs only this much of the daemon's TraceDetail (tests build traces of this shape).
export interface WaterfallSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  startMs: number;
  durationMs: number;
  status: { code: string; message?: string };
}

export interface WaterfallTrace {
  traceId: string;
  startMs: number;
  durationMs: number;
  spans: WaterfallSpan[];
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 10) return `${Math.round(ms)}ms`;
  return `${ms.toFixed(2)}ms`;
}

/** Depth-first span order (children by start time); spans whose parent is missing count as roots. */
function ordered(spans: WaterfallSpan[]): Array<{ span: WaterfallSpan; depth: number }> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, WaterfallSpan[]>();
  const roots: WaterfallSpan[] = [];
  for (const s of [...spans].sort((a, b) => a.startMs - b.startMs)) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else roots.push(s);
  }
  const out: Array<{ span: WaterfallSpan; depth: number }> = [];
  const visit = (s: WaterfallSpan, depth: number): void => {
    out.push({ span: s, depth });
    for (const c of children.get(s.spanId) ?? []) visit(c, depth + 1);
  };
  roots.forEach((r) => visit(r, 0));
  return out;
}

/** A text waterfall: one line per span, indented by depth, with offset, duration and a bar scaled to `width`. */
export function renderWaterfall(trace: WaterfallTrace, width: number): string {
  const rows = ordered(trace.spans);
  const labels = rows.map(({ span, depth }) => `${'  '.repeat(depth)}${span.status.code === 'error' ? '! ' : ''}${span.name} [${span.service}]`);
  const numbers = rows.map(({ span }) => `+${formatMs(span.startMs - trace.startMs)} ${formatMs(span.durationMs)}`);
  const numWidth = Math.max(...numbers.map((n) => n.length));
  const labelWidth = Math.min(Math.max(...labels.map((l) => l.length)), Math.max(20, Math.floor(width * 0.4)));
  const barWidth = Math.max(10, width - labelWidth - numWidth - 4);
  const total = trace.durationMs > 0 ? trace.durationMs : 1;
  const lines = [`trace ${trace.traceId}  ${formatMs(trace.durationMs)}  ${trace.spans.length} spans`];
  rows.forEach(({ span }, i) => {
    const from = Math.min(barWidth - 1, Math.floor(((span.startMs - trace.startMs) / total) * barWidth));
    const len = Math.max(1, Math.min(barWidth - from, Math.round((span.durationMs / total) * barWidth)));
    const bar = ' '.repeat(from) + (span.status.code === 'error' ? '!' : '█').repeat(len) + ' '.repeat(barWidth - from - len);
    const label = labels[i]!.length > labelWidth ? labels[i]!.slice(0, labelWidth - 1) + '…' : labels[i]!.padEnd(labelWidth);
    lines.push(`${label}  ${numbers[i]!.padStart(numWidth)}  ${bar}`.trimEnd());
  });
  for (const { span } of rows) if (span.status.code === 'error' && span.status.message) lines.push(`! ${span.name}: ${span.status.message}`);
  return lines.join('\n');
}

function logLine(l: LogEntry): string {
  const who = [l.source.function ?? l.source.service, l.source.replica].filter(Boolean).join('/');
  return `${l.time.slice(11, 23)} ${l.level.toUpperCase().padEnd(5)} ${who}  ${l.body}`;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

interface LogsOpts {
  follow: boolean;
  since?: string;
  grep?: string;
  level?: string;
  namespace?: string;
  limit: string;
  output?: string;
}

async function logsCommand(fn: string | undefined, opts: LogsOpts): Promise<void> {
  if (opts.level && !LEVELS.includes(opts.level)) throw new CliError(`--level must be one of ${LEVELS.join(', ')}`);
  const c = await client();
  const q = new URLSearchParams({ limit: opts.limit });
  if (fn) q.set('function', fn);
  if (opts.namespace) q.set('namespace', opts.namespace);
  if (opts.since) q.set('since', opts.since);
  if (opts.grep) q.set('q', opts.grep);
  if (opts.level) q.set('level', opts.level);
  const { items } = await c.request<{ items: LogEntry[] }>('GET', apiPath('logs', {}, q));
  const print = (l: LogEntry): void => void process.stdout.write((opts.output === 'json' ? JSON.stringify(l) : logLine(l)) + '\n');
  items.forEach(print);
  if (!opts.follow) {
    if (items.length === 0) process.stderr.write(`No log records${fn ? ` for ${fn}` : ''} — call a function, or widen --since/--level\n`);
    return;
  }
  const minLevel = opts.level ? LEVELS.indexOf(opts.level) : 0;
  const grep = opts.grep?.toLowerCase();
  await c.stream('GET', apiPath('telemetryStream', {}, { kinds: 'logs' }), undefined, (item) => {
    const l = item as LogEntry;
    if (fn && (l.source.function ?? l.source.service) !== fn) return;
    if (opts.namespace && l.source.namespace !== opts.namespace) return;
    if (LEVELS.indexOf(l.level) < minLevel) return;
    if (grep && !l.body.toLowerCase().includes(grep)) return;
    print(l);
  });
}

export function registerTelemetry(program: Command): void {
  program
    .command('logs')
    .description('show function log records (stdout/stderr and OTLP logs), optionally following new ones')
    .argument('[function]', 'only this function')
    .option('-f, --follow', 'stream new records', false)
    .option('--since <duration|time>', 'only records newer than this, e.g. 5m or 2024-05-01T10:00:00Z')
    .option('--grep <text>', 'only records whose message contains this (case-insensitive)')
    .option('--level <level>', 'minimum level: trace, debug, info, warn, error, fatal')
    .option('-n, --namespace <ns>', 'only this namespace')
    .option('--limit <n>', 'how many of the newest records to show first', '200')
    .option('-o, --output <format>', 'json (one record per line)')
    .action(logsCommand);

  program
    .command('traces')
    .description('search traces (newest first)')
    .option('--fn <function>', 'only traces with a span of this function (service)')
    .option('--operation <name>', 'only traces with a span of this name')
    .option('--min-duration <duration>', 'only traces with a span at least this long, e.g. 50ms')
    .option('--status <status>', 'ok or error')
    .option('--attr <key=value...>', 'span attribute equals value (repeatable)')
    .option('--since <duration|time>', 'only traces that started after this, e.g. 10m')
    .option('--limit <n>', 'how many', '50')
    .option('-o, --output <format>', 'json')
    .action(async (opts: { fn?: string; operation?: string; minDuration?: string; status?: string; attr?: string[]; since?: string; limit: string; output?: string }) => {
      const c = await client();
      const q = new URLSearchParams({ limit: opts.limit });
      if (opts.fn) q.set('service', opts.fn);
      if (opts.operation) q.set('operation', opts.operation);
      if (opts.minDuration) q.set('minDurationMs', opts.minDuration);
      if (opts.status) q.set('status', opts.status);
      if (opts.since) q.set('since', opts.since);
      for (const a of opts.attr ?? []) q.append('attr', a);
      const { items } = await c.request<{ items: TraceSummary[] }>('GET', apiPath('traces', {}, q));
      if (opts.output === 'json') {
        process.stdout.write(JSON.stringify(items, null, 2) + '\n');
        return;
      }
      if (items.length === 0) {
        process.stderr.write('No traces match — call a function (workers export spans to the daemon), or relax the filters\n');
        return;
      }
      process.stdout.write(
        table(
          ['TRACE ID', 'STARTED', 'ROOT', 'DURATION', 'SPANS', 'STATUS', 'SERVICES'],
          items.map((t) => [t.traceId, t.startTime.slice(11, 23), `${t.rootService}: ${t.rootName}`, formatMs(t.durationMs), t.spanCount, t.error ? 'error' : 'ok', t.services.join(',')]),
        ) + '\n',
      );
    });

  program
    .command('trace')
    .description('show one trace as a waterfall')
    .argument('<id>', 'trace id (see `kyma-local traces`)')
    .option('-o, --output <format>', 'json')
    .action(async (id: string, opts: { output?: string }) => {
      const c = await client();
      const trace = await c.request<WaterfallTrace>('GET', apiPath('trace', { traceId: id }));
      if (opts.output === 'json') process.stdout.write(JSON.stringify(trace, null, 2) + '\n');
      else process.stdout.write(renderWaterfall(trace, process.stdout.columns ?? 100) + '\n');
    });

  const telemetry = program.command('telemetry').description('export or import all traces, logs and metrics (OTLP/JSON lines)');
  telemetry
    .command('export')
    .description('write everything stored to a file, one OTLP/JSON export request per line')
    .requiredOption('-o, --output <file>', 'file to write')
    .action(async (opts: { output: string }) => {
      const c = await client();
      const lines: string[] = [];
      await c.stream('GET', apiPath('telemetryExport'), undefined, (item) => lines.push(JSON.stringify(item)));
      writeFileSync(opts.output, lines.length ? lines.join('\n') + '\n' : '');
      process.stderr.write(`wrote ${lines.length} OTLP request(s) to ${opts.output}\n`);
    });
  telemetry
    .command('import')
    .description('merge a file written by `telemetry export` (spans already stored are skipped)')
    .argument('<file>', 'OTLP/JSON lines')
    .action(async (file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const c = await client();
      const r = await c.request<{ spans: number; logRecords: number; metricSeries: number; lines: number }>('POST', apiPath('telemetryImport'), { rawBody: text, contentType: 'application/x-ndjson' });
      process.stdout.write(`imported ${r.spans} spans, ${r.logRecords} log records, ${r.metricSeries} metric series from ${r.lines} line(s)\n`);
    });
}
