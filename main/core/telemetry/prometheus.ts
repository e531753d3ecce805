// Prometheus text exposition (format 0.0.4) of the series that belong to a function.
import type { MetricStore, Series } from './metric-store.js';

function metricName(name: string): string {
  const n = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(n) ? n : `_${n}`;
}

function labelName(name: string): string {
  const n = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(n) ? n : `_${n}`;
}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelSet(s: Series, extra?: [string, string]): string {
  const pairs: Array<[string, string]> = [['function', s.fn ?? '']];
  for (const [k, v] of Object.entries(s.labels)) if (k !== 'function') pairs.push([labelName(k), v]);
  if (extra) pairs.push(extra);
  return `{${pairs.map(([k, v]) => `${k}="${escapeValue(v)}"`).join(',')}}`;
}

function num(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function prometheusText(store: MetricStore): string {
  const byName = new Map<string, Series[]>();
  for (const s of store.series.values()) {
    if (s.fn === undefined) continue;
    const name = metricName(s.name);
    const list = byName.get(name);
    if (list) list.push(s);
    else byName.set(name, [s]);
  }
  const lines: string[] = [];
  for (const [name, list] of [...byName.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const first = list[0]!;
    const kind = first.kind;
    lines.push(`# HELP ${name} ${(first.help ?? first.name).replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${name} ${kind}`);
    for (const s of list) {
      if (s.kind !== kind) continue; // one name, one type: a clashing series is left out rather than corrupting the family
      if (kind !== 'histogram' || !s.hist) {
        lines.push(`${name}${labelSet(s)} ${num(s.value)}`);
        continue;
      }
      let cumulative = 0;
      s.hist.bounds.forEach((b, i) => {
        cumulative += s.hist!.counts[i] ?? 0;
        lines.push(`${name}_bucket${labelSet(s, ['le', num(b)])} ${cumulative}`);
      });
      lines.push(`${name}_bucket${labelSet(s, ['le', '+Inf'])} ${s.hist.count}`);
      lines.push(`${name}_sum${labelSet(s)} ${num(s.hist.sum)}`);
      lines.push(`${name}_count${labelSet(s)} ${s.hist.count}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
