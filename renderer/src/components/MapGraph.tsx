import dagre from '@dagrejs/dagre';
import { useMemo } from 'react';
import type { AppMap, AppMapEdge, AppMapFigures, AppMapNode } from '../api/types.js';

const NODE_W = 200;
const NODE_H = 56;

interface Layout {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number }>;
  edges: Map<string, Array<{ x: number; y: number }>>;
}

/**
 * Lays the graph out left to right with dagre. Only the structure goes in, so new figures never move anything;
 * when a node or edge appears, boxes glide to their new places (CSS transition) instead of jumping.
 */
function layout(nodeIds: string[], edges: Array<Pick<AppMapEdge, 'id' | 'from' | 'to'>>): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  // Top to bottom: a flow of six hops stays readable at full size in a laptop window, figures sit beside the arrows.
  g.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 64, edgesep: 24, marginx: 24, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of nodeIds) g.setNode(id, { width: NODE_W, height: NODE_H });
  for (const e of edges) g.setEdge(e.from, e.to, {}, e.id);
  dagre.layout(g);
  const nodes = new Map(nodeIds.map((id) => [id, { x: g.node(id).x, y: g.node(id).y }]));
  const paths = new Map(edges.map((e) => [e.id, g.edge({ v: e.from, w: e.to, name: e.id }).points ?? []]));
  const graph = g.graph();
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges: paths };
}

const KIND_COLOR: Record<AppMapNode['kind'], string> = {
  entry: 'gray',
  apirule: 'teal',
  application: 'orange',
  function: 'blue',
  event: 'grape',
  service: 'gray',
  binding: 'cyan',
};

const KIND_WORD: Record<AppMapNode['kind'], string> = {
  entry: 'entry',
  apirule: 'APIRule',
  application: 'Application',
  function: 'function',
  event: 'event type',
  service: 'service',
  binding: 'ServiceBinding',
};

function stroke(health: AppMapNode['health'], fallback: string): string {
  if (health === 'error') return 'var(--mantine-color-red-filled)';
  if (health === 'warning') return 'var(--mantine-color-yellow-filled)';
  return fallback;
}

export function figuresLabel(f: AppMapFigures | undefined): string {
  if (!f || f.count === 0) return '';
  return [`${f.count}`, `${f.perMinute}/min`, ...(f.errors ? [`${f.errors} failed`] : []), ...(f.p95Ms !== undefined ? [`p95 ${Math.round(f.p95Ms)} ms`] : [])].join(' · ');
}

function pathOf(points: Array<{ x: number; y: number }>): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length === 1) return `M${first!.x},${first!.y} L${rest[0]!.x},${rest[0]!.y}`;
  // A smooth curve through dagre's points (quadratic segments through the midpoints).
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const n = rest[i + 1]!;
    d += ` Q${p.x},${p.y} ${(p.x + n.x) / 2},${(p.y + n.y) / 2}`;
  }
  const last = rest[rest.length - 1]!;
  return `${d} L${last.x},${last.y}`;
}

export interface Selection {
  type: 'node' | 'edge';
  id: string;
}

export function MapGraph({ map, selected, onSelect }: { map: AppMap; selected: Selection | undefined; onSelect: (s: Selection) => void }) {
  // The layout key is the structure alone: live figures re-render labels and colours in place.
  const key = JSON.stringify([map.nodes.map((n) => n.id), map.edges.map((e) => [e.id, e.from, e.to])]);
  const l = useMemo(() => layout(map.nodes.map((n) => n.id), map.edges), [key]);
  return (
    <div style={{ overflow: 'auto', maxHeight: '75vh' }}>
    <svg role="img" aria-label="App map" width={Math.max(l.width + 220, 400)} height={Math.max(l.height, 120)} data-testid="app-map">
      <defs>
        {['normal', 'error', 'warning'].map((h) => (
          <marker key={h} id={`kl-arrow-${h}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill={h === 'error' ? 'var(--mantine-color-red-filled)' : h === 'warning' ? 'var(--mantine-color-yellow-filled)' : 'var(--mantine-color-dimmed)'} />
          </marker>
        ))}
      </defs>
      {map.edges.map((e) => {
        const pts = l.edges.get(e.id) ?? [];
        const mid = pts[Math.floor(pts.length / 2)];
        const label = figuresLabel(e.figures) || (e.declared ? 'declared' : '');
        const color = stroke(e.health, 'var(--mantine-color-dimmed)');
        const isSel = selected?.type === 'edge' && selected.id === e.id;
        return (
          <g key={e.id} className="kl-map-edge" data-testid="map-edge" data-edge={e.id} data-count={e.figures.count} data-health={e.health} tabIndex={0} role="button" aria-label={`${e.kind} ${e.from} to ${e.to}: ${label}`} onClick={() => onSelect({ type: 'edge', id: e.id })} onKeyDown={(k) => k.key === 'Enter' && onSelect({ type: 'edge', id: e.id })}>
            <path d={pathOf(pts)} fill="none" stroke="transparent" strokeWidth={14} />
            <path d={pathOf(pts)} fill="none" stroke={color} strokeWidth={isSel ? 3.5 : e.observed ? 2 : 1.3} strokeDasharray={e.observed ? undefined : '5 4'} markerEnd={`url(#kl-arrow-${e.health === 'error' ? 'error' : e.health === 'warning' ? 'warning' : 'normal'})`} />
            {mid && label && (
              <text x={mid.x + 8} y={mid.y + 4} textAnchor="start" fontSize={11} fill={e.health === 'error' ? 'var(--mantine-color-red-text)' : 'var(--mantine-color-text)'} paintOrder="stroke" stroke="var(--mantine-color-body)" strokeWidth={4}>
                {e.kind} {label}
              </text>
            )}
          </g>
        );
      })}
      {map.nodes.map((n) => {
        const p = l.nodes.get(n.id);
        if (!p) return null;
        const base = `var(--mantine-color-${KIND_COLOR[n.kind]}-filled)`;
        const isSel = selected?.type === 'node' && selected.id === n.id;
        const figs = figuresLabel(n.figures);
        // Event types are pills: their text starts clear of the rounded end.
        const tx = n.kind === 'event' ? 30 : 18;
        return (
          <g key={n.id} className="kl-map-node" data-testid="map-node" data-node={n.id} data-kind={n.kind} data-health={n.health} data-pos={`${p.x},${p.y}`} style={{ transform: `translate(${p.x - NODE_W / 2}px, ${p.y - NODE_H / 2}px)`, transition: 'transform 400ms ease' }} tabIndex={0} role="button" aria-label={`${KIND_WORD[n.kind]} ${n.label}`} onClick={() => onSelect({ type: 'node', id: n.id })} onKeyDown={(k) => k.key === 'Enter' && onSelect({ type: 'node', id: n.id })}>
            <rect width={NODE_W} height={NODE_H} rx={n.kind === 'event' ? 28 : 6} fill="var(--mantine-color-body)" stroke={stroke(n.health, base)} strokeWidth={isSel ? 3.5 : n.health === 'error' ? 2.5 : 1.5} strokeDasharray={n.declared || n.kind === 'entry' ? undefined : '4 3'} />
            <rect width={6} height={NODE_H} rx={3} fill={base} x={n.kind === 'event' ? 14 : 0} />
            <text x={tx} y={16} fontSize={10} fill="var(--mantine-color-dimmed)">
              {KIND_WORD[n.kind]}
              {n.namespace && n.kind !== 'event' ? ` · ${n.namespace}` : ''}
            </text>
            <text x={tx} y={32} fontSize={13} fontWeight={600} fill="var(--mantine-color-text)">
              {n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label}
            </text>
            <text x={tx} y={47} fontSize={10} fill={n.health === 'error' ? 'var(--mantine-color-red-text)' : 'var(--mantine-color-dimmed)'}>
              {(n.health === 'error' || n.health === 'warning') && n.message ? (n.message.length > 34 ? `${n.message.slice(0, 33)}…` : n.message) : figs || n.detail || ''}
            </text>
          </g>
        );
      })}
    </svg>
    </div>
  );
}
