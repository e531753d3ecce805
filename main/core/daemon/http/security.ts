import type { IncomingMessage } from 'node:http';
import { tokensEqual } from '../../daemon-client/index.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function hostOnly(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.replace(/:\d+$/, '');
}

export type GuardResult = { ok: true } | { ok: false; code: 401 | 403; message: string };

/**
 * DNS-rebinding defence first (a page on evil.example resolving to 127.0.0.1 sends Host: evil.example),
 * then the bearer token. The token may also come from the `kl_token` cookie the dashboard sets, so a browser
 * tab never carries it in the URL.
 */
export function guardRequest(req: IncomingMessage, token: string): GuardResult {
  const host = req.headers.host;
  if (!host || !LOOPBACK_HOSTS.has(hostOnly(host).toLowerCase())) {
    return { ok: false, code: 403, message: `forbidden: Host "${host ?? ''}" is not a loopback address` };
  }
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    let originHost = '';
    try {
      originHost = new URL(origin).hostname;
    } catch {
      originHost = '';
    }
    if (!LOOPBACK_HOSTS.has(originHost.toLowerCase()) && !LOOPBACK_HOSTS.has(`[${originHost}]`)) {
      return { ok: false, code: 403, message: `forbidden: Origin "${origin}" is not a loopback origin` };
    }
  }
  const presented = bearer(req) ?? cookieToken(req);
  if (!presented || !tokensEqual(presented, token)) {
    return { ok: false, code: 401, message: 'unauthorized: missing or wrong bearer token (see the token file in the state dir, or run `kyma-local kubeconfig`)' };
  }
  return { ok: true };
}

/**
 * The token as a bearer token, or as the password of Basic auth: client-go (kubectl) only sends a kubeconfig's
 * bearer token over https, but it does send the userinfo of an http server URL as Basic auth, so the kubeconfig
 * we write carries the token there.
 */
function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  if (m) return m[1]?.trim();
  const b = /^Basic\s+(.+)$/i.exec(h);
  if (!b) return undefined;
  const decoded = Buffer.from(b[1]!.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

function cookieToken(req: IncomingMessage): string | undefined {
  const c = req.headers.cookie;
  if (!c) return undefined;
  for (const part of c.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'kl_token') return decodeURIComponent(v.join('='));
  }
  return undefined;
}
