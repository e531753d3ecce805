// The app map under construction: nodes and edges by id, each collecting samples for its figures.
import type { AppMap, AppMapEdge, AppMapEdgeKind, AppMapFigures, AppMapHealth, AppMapLinks, AppMapNode } from '../../api/index.js';

/** One observation: a request, publish or delivery attempt. */
interface Sample {
  ms: number;
  error: boolean;
}

type NodeInit = Omit<AppMapNode, 'health' | 'declared' | 'observed' | 'figures'> & { health?: AppMapHealth; declared?: boolean };
type EdgeInit = Omit<AppMapEdge, 'id' | 'health' | 'declared' | 'observed' | 'figures'> & { health?: AppMapHealth; declared?: boolean };

const HEALTH_RANK: Record<AppMapHealth, number> = { ok: 0, idle: 0, warning: 1, error: 2 };

function worse(a: AppMapHealth, b: AppMapHealth | undefined): AppMapHealth {
  return b !== undefined && HEALTH_RANK[b] > HEALTH_RANK[a] ? b : a;
}

/** Folds a second sighting into a node or edge: declared wins, the worse health wins (with its message). */
function merge<T extends { declared: boolean; health: AppMapHealth; message?: string }>(cur: T, init: { declared?: boolean; health?: AppMapHealth; message?: string }): T {
  cur.declared ||= init.declared ?? false;
  const health = worse(cur.health, init.health);
  if (health !== cur.health && init.message) cur.message = init.message;
  cur.health = health;
  return cur;
}

function p95(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]! * 10) / 10;
}

function figures(samples: Sample[], windowMs: number): AppMapFigures {
  const errors = samples.filter((s) => s.error).length;
  const p = p95(samples.map((s) => s.ms));
  return { count: samples.length, errors, perMinute: Math.round((samples.length / (windowMs / 60_000)) * 10) / 10, ...(p !== undefined ? { p95Ms: p } : {}) };
}

export class GraphBuilder {
  private readonly nodes = new Map<string, AppMapNode>();
  private readonly edges = new Map<string, AppMapEdge>();
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs: number) {}

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Adds a node, or merges into the one with this id (declared wins, the worse health wins). */
  node(init: NodeInit): AppMapNode {
    const cur = this.nodes.get(init.id);
    if (cur) return merge(cur, init);
    const { health, declared, ...rest } = init;
    const n: AppMapNode = { ...rest, health: health ?? 'idle', declared: declared ?? false, observed: false };
    this.nodes.set(n.id, n);
    return n;
  }

  edge(init: EdgeInit): AppMapEdge {
    const id = `${init.kind}:${init.from}->${init.to}`;
    const cur = this.edges.get(id);
    if (cur) return merge(cur, init);
    const { health, declared, ...rest } = init;
    const e: AppMapEdge = { id, ...rest, health: health ?? 'idle', declared: declared ?? false, observed: false, figures: { count: 0, errors: 0, perMinute: 0 } };
    this.edges.set(id, e);
    return e;
  }

  observeNode(id: string, ms: number, error: boolean): void {
    const n = this.nodes.get(id);
    if (!n) return;
    n.observed = true;
    this.sample(`n:${id}`, ms, error);
  }

  observeEdge(kind: AppMapEdgeKind, from: string, to: string, links: AppMapLinks, ms: number, error: boolean): void {
    const e = this.edge({ kind, from, to, links });
    e.observed = true;
    this.sample(`e:${e.id}`, ms, error);
  }

  private sample(key: string, ms: number, error: boolean): void {
    const list = this.samples.get(key) ?? [];
    list.push({ ms, error });
    this.samples.set(key, list);
  }

  build(now: Date): AppMap {
    const nodes = [...this.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const n of nodes) {
      const s = this.samples.get(`n:${n.id}`);
      if (!s) continue;
      n.figures = figures(s, this.windowMs);
      n.health = worse(n.health === 'idle' ? 'ok' : n.health, n.figures.errors > 0 ? 'warning' : 'ok');
    }
    const edges = [...this.edges.values()].filter((e) => this.nodes.has(e.from) && this.nodes.has(e.to)).sort((a, b) => a.id.localeCompare(b.id));
    for (const e of edges) {
      const s = this.samples.get(`e:${e.id}`);
      if (!s) continue;
      e.figures = figures(s, this.windowMs);
      // The latest attempt failing is red; failures that recovered are a warning.
      const lastFailed = s[s.length - 1]!.error;
      e.health = worse(e.health === 'idle' ? 'ok' : e.health, e.figures.errors === 0 ? 'ok' : lastFailed ? 'error' : 'warning');
    }
    return { generatedAt: now.toISOString(), windowMs: this.windowMs, nodes, edges };
  }
}
