/** One call through the application gateway, as the dashboard and CLI show it (never headers or bodies). */
export interface GatewayCall {
  time: string;
  app: string;
  service: string;
  method: string;
  /** The target path (no query string: request parameters from Secrets may sit there). */
  path: string;
  /** What the caller got. */
  status: number;
  /** What the target answered, when it differs (5xx rewritten to 502) or the call was retried. */
  targetStatus?: number;
  latencyMs: number;
  retried: boolean;
  error?: string;
  traceId?: string;
  targetHost?: string;
}

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
