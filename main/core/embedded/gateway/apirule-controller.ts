// Keeps the route table in step with the stored APIRules and the services that exist, and writes each APIRule's
// status (state, description, lastProcessedTime) when it changes.
import { APIRULE, type KubeObject, type Logger } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import type { ServiceRegistry } from '../module.js';
import { buildRouteTable, type RouteTable } from './route-table.js';

export class ApiRuleController {
  private table: RouteTable = { routes: [], exact: new Map(), wildcards: [] };
  private readonly offs: Array<() => void> = [];
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly services: ServiceRegistry,
    private readonly port: number,
    private readonly log: Logger,
    private readonly onRebuild?: () => void,
  ) {}

  start(): void {
    const list = this.store.list(APIRULE);
    this.rebuild();
    this.offs.push(this.store.watch(APIRULE, { resourceVersion: list.resourceVersion }, () => this.schedule()));
    this.offs.push(this.services.onChange(() => this.schedule()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    await this.writing;
  }

  current(): RouteTable {
    return this.table;
  }

  /** Resolves once every status write queued so far is done (tests, `apply --wait`). */
  settled(): Promise<void> {
    return this.writing;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (!this.stopped) this.rebuild();
    });
  }

  private rebuild(): void {
    const objs = this.store.list(APIRULE).items;
    const known = new Set(this.services.names());
    this.table = buildRouteTable(objs, (h) => known.has(h), this.port);
    this.onRebuild?.();
    const byKey = new Map(objs.map((o) => [`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o]));
    const writes = this.table.routes.flatMap((r) => {
      const obj = byKey.get(`${r.namespace}/${r.name}`);
      return obj && (obj.status?.state !== r.state || obj.status?.description !== r.description) ? [{ obj, state: r.state, description: r.description }] : [];
    });
    if (writes.length === 0) return;
    this.writing = this.writing.then(() => Promise.all(writes.map((w) => this.writeStatus(w.obj, w.state, w.description))).then(() => undefined));
  }

  private async writeStatus(obj: KubeObject, state: string, description: string): Promise<void> {
    if (this.stopped) return;
    try {
      await this.store.patchStatus(APIRULE, obj.metadata.namespace, obj.metadata.name, { state, description, lastProcessedTime: new Date().toISOString() });
    } catch (err) {
      // Deleted meanwhile: nothing to report on.
      this.log.debug('APIRule status not written', { apirule: `${obj.metadata.namespace}/${obj.metadata.name}`, error: (err as Error).message });
    }
  }
}
