import type { GatewayCallView } from '../../api/index.js';

/** One call through the application gateway: the wire type the dashboard and CLI read. */
export type GatewayCall = GatewayCallView;

const MAX_PATH = 256;
const MAX_ERROR = 512;

/** The last `max` calls; every field is capped, so memory is bounded in bytes too. */
export class CallLog {
  private readonly calls: GatewayCall[] = [];
  private readonly listeners = new Set<(c: GatewayCall) => void>();
  constructor(private readonly max = 500) {}

  add(c: GatewayCall): void {
    const kept: GatewayCall = { ...c, path: c.path.slice(0, MAX_PATH), ...(c.error ? { error: c.error.slice(0, MAX_ERROR) } : {}) };
    this.calls.push(kept);
    if (this.calls.length > this.max) this.calls.shift();
    for (const l of this.listeners) {
      try {
        l(kept);
      } catch {
        // a listener must not break the gateway
      }
    }
  }

  list(app?: string, limit = 100): GatewayCall[] {
    const all = app ? this.calls.filter((c) => c.app === app) : this.calls;
    return all.slice(-limit).reverse();
  }

  subscribe(l: (c: GatewayCall) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
