import type { Command } from 'commander';
import { apiPath, type AppMap, type AppMapEdge, type AppMapFigures, type AppMapNode } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';

/** 30s, 5m, 1h, 500ms → milliseconds. */
function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

function figuresText(f: AppMapFigures | undefined, unit: string): string {
  if (!f || f.count === 0) return '';
  const parts = [`${f.count} ${unit}`, `${f.perMinute}/min`];
  if (f.errors > 0) parts.push(`${f.errors} failed`);
  if (f.p95Ms !== undefined) parts.push(`p95 ${f.p95Ms} ms`);
  return parts.join(' · ');
}

const EDGE_UNIT: Record<AppMapEdge['kind'], string> = { expose: 'req', http: 'req', publish: 'published', deliver: 'deliveries', inbound: 'events', binding: '' };
const KIND_WORD: Record<AppMapNode['kind'], string> = { entry: '', apirule: 'apirule ', application: 'application ', function: 'function ', event: 'event ', service: 'service ', binding: 'binding ' };
const MARK = { ok: '', idle: '', warning: ' [!]', error: ' [FAILING]' } as const;

function nodeLine(n: AppMapNode): string {
  const name = n.kind === 'function' || n.kind === 'apirule' || n.kind === 'binding' || n.kind === 'service' ? `${n.namespace ?? 'default'}/${n.label}` : n.label;
  const detail = n.detail ? ` (${n.detail})` : '';
  const figs = n.kind === 'function' || n.kind === 'event' ? figuresText(n.figures, n.kind === 'event' ? 'events' : 'req') : '';
  return `${KIND_WORD[n.kind]}${name}${detail}${MARK[n.health]}${figs ? `  ${figs}` : ''}${n.message && n.health !== 'ok' ? `  — ${n.message}` : ''}`;
}

/**
 * The map as an indented tree: from each entry point (nodes nothing leads to) along the edges; a node reached a
 * second time is named with "(see above)" instead of repeating its subtree.
 */
export function renderMapTree(map: AppMap): string {
  const nodes = new Map(map.nodes.map((n) => [n.id, n]));
  const out = new Map<string, AppMapEdge[]>();
  const incoming = new Set<string>();
  for (const e of map.edges) {
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
    incoming.add(e.to);
  }
  const order = (n: AppMapNode): number => ['entry', 'apirule', 'application', 'function', 'event', 'service', 'binding'].indexOf(n.kind);
  const roots = map.nodes.filter((n) => !incoming.has(n.id)).sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
  const lines: string[] = [];
  const shown = new Set<string>();
  const walk = (id: string, prefix: string, childPrefix: string, via: AppMapEdge | undefined): void => {
    const n = nodes.get(id)!;
    const edge = via ? `${via.kind}${via.figures.count ? ` ${figuresText(via.figures, EDGE_UNIT[via.kind])}` : via.declared ? ' (declared, nothing seen yet)' : ''}${MARK[via.health]} ▶ ` : '';
    if (shown.has(id)) {
      lines.push(`${prefix}${edge}${KIND_WORD[n.kind]}${n.label} (see above)`);
      return;
    }
    shown.add(id);
    lines.push(`${prefix}${edge}${nodeLine(n)}`);
    const kids = out.get(id) ?? [];
    kids.forEach((e, i) => {
      const last = i === kids.length - 1;
      walk(e.to, `${childPrefix}${last ? '└─ ' : '├─ '}`, `${childPrefix}${last ? '   ' : '│  '}`, e);
    });
  };
  for (const r of roots) walk(r.id, '', '', undefined);
  // Cycles without an entry point (a → b → a) still show.
  for (const n of map.nodes) if (!shown.has(n.id)) walk(n.id, '', '', undefined);
  return lines.join('\n');
}

export function registerMap(program: Command): void {
  program
    .command('map')
    .description('the app map: entry points, functions, event types and calls, with rates, failures and p95')
    .option('--window <duration>', 'figures over this past window, e.g. 5m or 1h', '15m')
    .option('-o, --output <format>', 'json')
    .action(async (opts: { window: string; output?: string }) => {
      if (opts.output && opts.output !== 'json') throw new CliError(`unknown output format "${opts.output}" — use -o json`);
      const windowMs = parseDuration(opts.window);
      if (windowMs === undefined) throw new CliError(`--window ${opts.window}: expected a duration such as 30s, 5m or 1h`);
      const c = await client();
      const map = await c.request<AppMap>('GET', apiPath('map', {}, { windowMs }));
      if (opts.output === 'json') {
        process.stdout.write(JSON.stringify(map, null, 2) + '\n');
        return;
      }
      if (map.nodes.length === 0) {
        process.stderr.write('Nothing to map yet — deploy functions with `kyma-local dev DIR` (or start from `kyma-local init --example order-flow`).\n');
        return;
      }
      process.stdout.write(`${renderMapTree(map)}\n\nFigures over the last ${opts.window}; [FAILING] = latest attempt failed, [!] = warnings.\n`);
    });
}
