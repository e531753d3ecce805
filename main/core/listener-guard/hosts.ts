/**
 * Which `Host` headers a local listener answers. A web page on evil.example that re-points its DNS name at
 * 127.0.0.1 (DNS rebinding) reaches a loopback port with `Host: evil.example`; refusing every Host that is not a
 * name of this machine closes that door, whatever the listener serves.
 */

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The host part of a Host header (or of a URL's host), lower-cased, without port and trailing dot. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** 127.0.0.0/8, ::1, `localhost` and `*.localhost` (RFC 6761: always loopback, browsers never resolve it via DNS). */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (LOOPBACK_NAMES.has(h)) return true;
  if (h.endsWith('.localhost')) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The in-cluster names the mesh resolves: `<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>.svc`. The bare `<svc>.<ns>`
 * shape is left to the caller (it looks like a public domain, so only a registered service should pass).
 */
export function isClusterLocalHostname(hostname: string): boolean {
  return /^[a-z0-9-]+\.[a-z0-9-]+\.svc(\.cluster\.local)?$/.test(hostname.toLowerCase().replace(/\.$/, ''));
}
