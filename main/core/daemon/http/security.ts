import type { IncomingMessage } from 'node:http';
import { tokensEqual } from '../../daemon-client/index.js';
import { cookieValue, DAEMON_SESSION_COOKIE } from '../../listener-guard/index.js';
import type { DashboardSessions } from './sessions.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function hostOnly(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.replace(/:\d+$/, '');
}

export type GuardResult = { ok: true } | { ok: false; code: 401 | 403; message: string };

/**
 * DNS-rebinding defence first (a page on evil.example resolving to 127.0.0.1 sends Host: evil.example),
 * then the bearer token — or, for the dashboard, a valid session id in the `kl_session` cookie (never the token).
 */
export function guardRequest(req: IncomingMessage, token: string, sessions?: DashboardSessions): GuardResult {
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
  const presented = bearer(req);
  if (presented === undefined && sessions) {
    const session = cookieValue(req.headers.cookie, DAEMON_SESSION_COOKIE);
    if (session && sessions.valid(session)) return { ok: true };
  }
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
