import { isAbsolute } from 'node:path';

/** Only web links leave the app; file:, javascript:, custom schemes and the like are refused. */
export function externalUrlAllowed(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function revealablePath(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw.length > 0 && raw.length < 4096 && isAbsolute(raw) && !raw.includes('\0') ? raw : undefined;
}

/** IPC is answered only for the dashboard served by our daemon, not for any page that got into the window. */
export function fromDashboard(senderUrl: string | undefined, daemonUrl: string): boolean {
  if (!senderUrl) return false;
  try {
    return new URL(senderUrl).origin === new URL(daemonUrl).origin;
  } catch {
    return false;
  }
}
