import type { SpanView } from '../../telemetry/index.js';
import type { AppMap } from '../../api/index.js';
import { addDeclared, fnId, type DeclaredResources } from './declared.js';
import { GraphBuilder } from './graph.js';
import { addObserved } from './observed.js';

export type { DeclaredResources } from './declared.js';

export interface AppMapInput extends DeclaredResources {
  /** Spans that ended within the window. */
  spans: SpanView[];
  windowMs: number;
  /** service.name of the platform's eventing spans. */
  eventingService: string;
  now?: Date;
}

/** The app map: declared resources first, then what the spans of the window observed on top. */
export function buildAppMap(input: AppMapInput): AppMap {
  const g = new GraphBuilder(input.windowMs);
  addDeclared(g, input);
  const functions = new Map<string, { namespace: string; name: string }>();
  for (const f of input.functions) if (!functions.has(f.metadata.name)) functions.set(f.metadata.name, { namespace: f.metadata.namespace ?? 'default', name: f.metadata.name });
  const exposedBy = new Map<string, string>();
  for (const r of input.apiRules) {
    const svc = (r.spec as { service?: { name?: unknown } } | undefined)?.service?.name;
    if (typeof svc === 'string') exposedBy.set(fnId(r.metadata.namespace ?? 'default', svc), `apirule:${r.metadata.namespace ?? 'default'}/${r.metadata.name}`);
  }
  addObserved(g, input.spans, functions, input.eventingService, exposedBy);
  return g.build(input.now ?? new Date());
}
