// The app map (GET /kl/v1/map): built by the daemon, drawn by the dashboard, printed by `kyma-local map`.

/** GET /kl/v1/map — the local application as a graph: declared resources plus what spans observed. */
export interface AppMap {
  generatedAt: string;
  /** Figures cover the spans that ended in the last `windowMs`. */
  windowMs: number;
  /** Sorted by id, so clients can keep a layout while only figures change. */
  nodes: AppMapNode[];
  edges: AppMapEdge[];
}

/** entry: callers outside the cluster (HTTP clients, publishers without a function); service: a cluster-DNS host that is not a function. */
export type AppMapNodeKind = 'entry' | 'apirule' | 'application' | 'function' | 'event' | 'service' | 'binding';
export type AppMapEdgeKind = 'expose' | 'http' | 'publish' | 'deliver' | 'inbound' | 'binding';
/** idle: declared, nothing seen in the window; error: failing delivery, crash loop, failed revision, not ready. */
export type AppMapHealth = 'ok' | 'idle' | 'warning' | 'error';

export interface AppMapFigures {
  /** Requests, publishes or delivery attempts in the window. */
  count: number;
  errors: number;
  perMinute: number;
  p95Ms?: number;
}

/** Where a click leads: the traces, events and logs of just this node or edge. */
export interface AppMapLinks {
  traces?: { service?: string; attr?: Record<string, string> };
  events?: { type?: string; source?: string; subscription?: string };
  logs?: { function?: string; namespace?: string };
}

export interface AppMapNode {
  id: string;
  kind: AppMapNodeKind;
  label: string;
  namespace?: string;
  /** A second line: the source of an event type, the host of an APIRule, the revision of a function. */
  detail?: string;
  health: AppMapHealth;
  message?: string;
  declared: boolean;
  observed: boolean;
  figures?: AppMapFigures;
  links: AppMapLinks;
}

export interface AppMapEdge {
  id: string;
  from: string;
  to: string;
  kind: AppMapEdgeKind;
  declared: boolean;
  observed: boolean;
  health: AppMapHealth;
  message?: string;
  figures: AppMapFigures;
  links: AppMapLinks;
}
