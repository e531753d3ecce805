import { randomBytes } from 'node:crypto';

/** A dashboard session lasts a working day; signing in again is one `kyma-local dashboard` away. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Browsers a user has signed in at once; the oldest session goes first beyond this. */
const MAX_SESSIONS = 64;

/**
 * Dashboard sessions, held only in the daemon's memory: the cookie carries a random id, never the API token, so
 * a cookie that leaks (browsers send it to every port of 127.0.0.1) expires, can be revoked, and never works as
 * a bearer token for the CLI or kubectl. A daemon restart signs every browser out.
 */
export class DashboardSessions {
  private readonly sessions = new Map<string, number>();

  constructor(
    readonly ttlMs = SESSION_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): { id: string; expiresAt: number } {
    this.prune();
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.sessions.set(id, expiresAt);
    return { id, expiresAt };
  }

  /** True for an issued, unexpired, unrevoked session id. */
  valid(id: string): boolean {
    const expires = this.sessions.get(id);
    if (expires === undefined) return false;
    if (expires < this.now()) {
      this.sessions.delete(id);
      return false;
    }
    return true;
  }

  revoke(id: string): boolean {
    return this.sessions.delete(id);
  }

  /** Signs every browser out; returns how many sessions there were. */
  revokeAll(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, exp] of this.sessions) if (exp < now) this.sessions.delete(id);
  }
}
