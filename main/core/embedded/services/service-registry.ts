import type { ServiceEndpoint, ServiceRegistry } from '../module.js';

/** Splits a host name into service and namespace if it has one of the in-cluster shapes. */
export function parseServiceHost(hostname: string): { name: string; namespace: string } | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '').replace(/:\d+$/, '');
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?$/.exec(host);
  if (!m) return undefined;
  return { name: m[1]!, namespace: m[2]! };
}

export function createServiceRegistry(): ServiceRegistry {
  const services = new Map<string, { endpoints: ServiceEndpoint[]; next: number }>();
  const listeners = new Set<() => void>();
  const requestListeners = new Set<(hostname: string, ms: number, status: number, failed: boolean) => void>();
  const notify = (): void => {
    for (const l of listeners) {
      try {
        l();
      } catch {
        // a listener's failure must not break registration for others
      }
    }
  };
  return {
    set(name, namespace, endpoints) {
      const key = `${name}.${namespace}`;
      const existing = services.get(key);
      services.set(key, { endpoints: [...endpoints], next: existing?.next ?? 0 });
      notify();
    },
    remove(name, namespace) {
      if (services.delete(`${name}.${namespace}`)) notify();
    },
    pick(hostname) {
      const parsed = parseServiceHost(hostname);
      if (!parsed) return undefined;
      const entry = services.get(`${parsed.name}.${parsed.namespace}`);
      if (!entry) return undefined;
      if (entry.endpoints.length === 0) return null;
      const ep = entry.endpoints[entry.next % entry.endpoints.length]!;
      entry.next = (entry.next + 1) % entry.endpoints.length;
      return ep;
    },
    names() {
      return [...services.keys()].sort();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportRequest(hostname, ms, status, failed) {
      for (const l of requestListeners) {
        try {
          l(hostname, ms, status, failed);
        } catch {
          // metrics must never fail a request
        }
      }
    },
    onRequest(listener) {
      requestListeners.add(listener);
      return () => requestListeners.delete(listener);
    },
  };
}
