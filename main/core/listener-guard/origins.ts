import type { IncomingMessage } from 'node:http';
import { isLoopbackHostname } from './hosts.js';

/**
 * Whether a browser request comes from another site. Browsers mark every request with `Sec-Fetch-Site`
 * (Chromium, Firefox, Safari ≥ 16.4) and cross-origin ones with `Origin`; CLI tools, SDKs and workers send
 * neither, so they are never affected. A page on another local port is same-site, not cross-site.
 * Returns the offending origin (or the Sec-Fetch-Site value) when the request is cross-site, else undefined.
 */
export function crossSiteOrigin(req: IncomingMessage, originAllowed: (origin: string) => boolean): string | undefined {
  const origin = header(req, 'origin');
  if (origin !== undefined) {
    if (originAllowed(origin)) return undefined;
    // `null`: sandboxed iframes, file:// pages, redirects across origins — never the user's own tools.
    if (!isLoopbackOrigin(origin)) return origin;
  }
  const site = header(req, 'sec-fetch-site');
  if (site === 'cross-site') return origin ?? 'a cross-site page (Sec-Fetch-Site: cross-site)';
  return undefined;
}

export function isLoopbackOrigin(origin: string): boolean {
  if (origin === 'null') return false;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHostname(u.hostname);
  } catch {
    return false;
  }
}

/** Normalises an allowlist entry or an Origin header (`HTTP://Foo:80/` → `http://foo`), for comparison. */
export function normalizeOrigin(origin: string): string {
  try {
    const u = new URL(origin);
    return u.origin;
  } catch {
    return origin.trim().toLowerCase();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
