import type { OsbClient } from './osb-client.js';
import type { OsbCatalog, OsbPlan, OsbService } from './osb-types.js';

export interface RegisteredBroker {
  name: string;
  client: OsbClient;
  catalog?: OsbCatalog;
  error?: string;
}

export type PlanLookup =
  | { ok: true; broker: RegisteredBroker; service: OsbService; plan: OsbPlan }
  | { ok: false; message: string; waiting?: boolean };

/** The built-in broker's ServiceBroker name; its offerings win a name clash. */
export const LOCAL_BROKER = 'local';

/** The merged catalog of every registered broker. */
export class BrokerRegistry {
  private readonly brokers = new Map<string, RegisteredBroker>();

  set(b: RegisteredBroker): void {
    this.brokers.set(b.name, b);
  }

  get(name: string): RegisteredBroker | undefined {
    return this.brokers.get(name);
  }

  delete(name: string): void {
    this.brokers.delete(name);
  }

  /** Brokers with a catalog, the local one first, then by name. */
  private ordered(): RegisteredBroker[] {
    return [...this.brokers.values()].filter((b) => b.catalog).sort((a, b) => (a.name === LOCAL_BROKER ? -1 : b.name === LOCAL_BROKER ? 1 : a.name.localeCompare(b.name)));
  }

  /** Finds an offering/plan by name; `broker` (annotation) narrows the search to one broker. */
  lookup(offering: string, planName: string, broker?: string): PlanLookup {
    const all = this.ordered().filter((b) => !broker || b.name === broker);
    if (all.length === 0) {
      const why = broker ? (this.brokers.get(broker)?.error ?? `no ServiceBroker "${broker}" is registered`) : 'no service broker has answered its catalog yet';
      return { ok: false, waiting: true, message: why };
    }
    for (const b of all) {
      const service = b.catalog!.services.find((s) => s.name === offering);
      if (!service) continue;
      const plan = service.plans.find((p) => p.name === planName);
      if (!plan) {
        return { ok: false, message: `offering "${offering}" (broker ${b.name}) has no plan "${planName}" — valid plans: ${service.plans.map((p) => p.name).join(', ')}` };
      }
      const unavailable = plan.metadata?.unavailable;
      if (typeof unavailable === 'string') return { ok: false, message: `plan ${offering}/${planName} is unavailable: ${unavailable}` };
      return { ok: true, broker: b, service, plan };
    }
    const valid = all.flatMap((b) => b.catalog!.services.map((s) => (b.name === LOCAL_BROKER ? s.name : `${s.name} (broker ${b.name})`)));
    return { ok: false, message: `unknown serviceOfferingName "${offering}" — valid offerings: ${valid.join(', ') || '(none)'}` };
  }
}
