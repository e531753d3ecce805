import { RESOURCE_TYPES, type KubeObject, type Logger, type ResourceType } from '../../model/index.js';
import { MODULE_OF_KIND, moduleNotRunningMessage, type ModuleAbsence, type ModuleName } from '../../profiles/index.js';
import type { Store } from '../../store/index.js';

/** Condition reasons this writer uses; a running module replaces the whole status it wrote. */
const REASONS: Record<ModuleAbsence, string> = { Disabled: 'ModuleNotEnabled', NotImplemented: 'ModuleNotImplemented' };

/** The status an object gets while its module is absent, in the shape `kubectl get` shows for its kind. */
export function absentModuleStatus(kind: string, message: string, absence: ModuleAbsence, now = new Date()): Record<string, unknown> {
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = { type: 'Ready', status: 'False', reason: REASONS[absence], message, lastTransitionTime: time };
  switch (kind) {
    case 'APIRule':
      // api-gateway's own states are Processing | Ready | Error | Warning | Deleting; STATE shows this one.
      return { state: 'Warning', description: message, lastProcessedTime: time };
    case 'Subscription':
      return { ready: false, conditions: [condition] };
    default:
      return { conditions: [condition] };
  }
}

function sameApartFromTime(a: unknown, b: unknown): boolean {
  const strip = (v: unknown): string => JSON.stringify(v, (k, x: unknown) => (k === 'lastTransitionTime' || k === 'lastProcessedTime' ? undefined : x));
  return strip(a) === strip(b);
}

function hasOurReason(status: KubeObject['status']): boolean {
  const reasons = Object.values(REASONS);
  const conds = status?.['conditions'];
  const fromConditions = Array.isArray(conds) && conds.some((c: unknown) => reasons.includes((c as { reason?: string })?.reason ?? ''));
  return fromConditions || (status?.['state'] === 'Warning' && typeof status['description'] === 'string' && / module is not (enabled|implemented)/.test(status['description']));
}

/**
 * While the cluster is up, gives every object whose module is not running (an APIRule without api-gateway, an
 * Application without application-connector, …) a status that says so, instead of none at all.
 */
export class AbsentModuleStatus {
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Clears statuses written earlier for kinds whose module now runs (its controller writes its own). */
  async clearFor(running: readonly ModuleName[]): Promise<void> {
    for (const type of this.typesOf((m) => running.includes(m))) {
      for (const obj of this.store.list(type).items) {
        if (!hasOurReason(obj.status)) continue;
        await this.store.updateStatus({ ...obj, status: {} }).catch(() => undefined);
      }
    }
  }

  start(absent: ReadonlyMap<ModuleName, ModuleAbsence>, profile: string): void {
    for (const type of this.typesOf((m) => absent.has(m))) {
      const module = MODULE_OF_KIND[type.kind]!;
      const absence = absent.get(module)!;
      const message = moduleNotRunningMessage(type.kind, module, absence, profile);
      const write = (obj: KubeObject): void => {
        const status = absentModuleStatus(type.kind, message, absence);
        if (sameApartFromTime(obj.status, status)) return;
        this.store
          .updateStatus({ ...obj, status })
          .catch((err: Error) => this.log.debug(`status of ${type.kind} ${obj.metadata.name} not written: ${err.message}`));
      };
      this.offs.push(this.store.watch(type, {}, (ev) => ev.type !== 'DELETED' && write(ev.object)));
      for (const obj of this.store.list(type).items) write(obj);
    }
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private typesOf(pick: (m: ModuleName) => boolean): ResourceType[] {
    return Object.entries(MODULE_OF_KIND)
      .filter(([, m]) => pick(m))
      .map(([kind]) => RESOURCE_TYPES.find((t) => t.kind === kind))
      .filter((t): t is ResourceType => t !== undefined);
  }
}
