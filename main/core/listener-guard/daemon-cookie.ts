import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** The dashboard's session cookie on the daemon's origin (a session id, never the API token). */
export const DAEMON_SESSION_COOKIE = 'kl_session';
/** The name older versions used for a cookie that held the API token itself; still stripped. */
const LEGACY_TOKEN_COOKIE = 'kl_token';

const DAEMON_COOKIES = [DAEMON_SESSION_COOKIE, LEGACY_TOKEN_COOKIE];

/**
 * Browsers send cookies to every port of 127.0.0.1, so a request that reaches a function from the dashboard's
 * browser may carry the daemon's session cookie; every listener that forwards to user code (mesh, gateway,
 * application gateway) removes it, so function code and its dependencies never see it.
 */
export function withoutDaemonCookie<H extends OutgoingHttpHeaders | IncomingHttpHeaders>(headers: H): H {
  const cookie = headers.cookie;
  if (typeof cookie !== 'string' || !DAEMON_COOKIES.some((n) => cookie.includes(`${n}=`))) return headers;
  const kept = cookie
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && !DAEMON_COOKIES.some((n) => c.startsWith(`${n}=`)))
    .join('; ');
  const out = { ...headers };
  if (kept) out.cookie = kept;
  else delete out.cookie;
  return out;
}

/** The value of one cookie of a request, or undefined. */
export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
