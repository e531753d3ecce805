// How APIRule hosts map onto the local gateway. Locally a short host `orders`, `orders.local.kyma.dev` (Kyma's own
// local domain, resolving publicly to 127.0.0.1) and `orders.localhost` (resolved to loopback by browsers and curl)
// are one host; any other FQDN matches exactly; `*.fqdn` matches any name under fqdn.
export const LOCAL_DOMAINS = ['localhost', 'local.kyma.dev'] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A host as matched: `label:orders` (local short host) or `fqdn:api.example.com`. */
export type HostKey = string;

export function normalizeHost(raw: string): string {
  let h = raw.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  if (colon !== -1) h = h.slice(0, colon);
  return h.replace(/\.$/, '');
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host);
}

/** The short label when `host` is local (`orders`, `orders.localhost`, `orders.local.kyma.dev`). */
export function localLabel(host: string): string | undefined {
  if (!host.includes('.')) return host;
  for (const d of LOCAL_DOMAINS) {
    if (host.endsWith(`.${d}`)) {
      const label = host.slice(0, -d.length - 1);
      if (label && !label.includes('.')) return label;
    }
  }
  return undefined;
}

/** Under one of the local domains (any depth), i.e. a name that can only mean this machine. */
export function isLocalName(host: string): boolean {
  return LOCAL_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

export type HostPattern = { kind: 'exact'; key: HostKey } | { kind: 'wildcard'; suffix: string };

/** The pattern of an APIRule's `hosts[0]` (validated by the model: FQDN, short label or `*.fqdn`). */
export function hostPattern(spec: string): HostPattern {
  const h = spec.toLowerCase().replace(/\.$/, '');
  if (h.startsWith('*.')) return { kind: 'wildcard', suffix: h.slice(1) };
  return { kind: 'exact', key: hostKey(h) };
}

export function hostKey(host: string): HostKey {
  const label = localLabel(host);
  return label !== undefined ? `label:${label}` : `fqdn:${host}`;
}

/** Names a request for `host` may be checked against wildcards with (a local label under each local domain). */
export function wildcardCandidates(host: string): string[] {
  const label = localLabel(host);
  return label !== undefined && !host.includes('.') ? LOCAL_DOMAINS.map((d) => `${label}.${d}`) : label !== undefined ? [host, ...LOCAL_DOMAINS.map((d) => `${label}.${d}`)] : [host];
}

export interface HostUrls {
  /** What a browser opens, e.g. http://orders.localhost:8080 */
  url: string;
  /** The Host header for curl without DNS. */
  hostHeader: string;
}

/** The URL a person uses for an APIRule host, and the Host header that works against 127.0.0.1. */
export function hostUrls(spec: string, port: number): HostUrls {
  const p = hostPattern(spec);
  const suffix = port === 80 ? '' : `:${port}`;
  if (p.kind === 'wildcard') {
    const example = `any${p.suffix}`;
    return { url: `http://${example}${suffix}`, hostHeader: example };
  }
  const name = p.key.startsWith('label:') ? `${p.key.slice(6)}.localhost` : p.key.slice(5);
  return { url: `http://${name}${suffix}`, hostHeader: name };
}
