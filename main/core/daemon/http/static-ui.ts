import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { ROUTES } from '../../api/index.js';
import type { Router } from './router.js';
import { sendJson } from './toolkit.js';
import { packageRoot } from '../../daemon-client/index.js';

/**
 * The browser dashboard: renderer/dist served under /ui/, and the token handover that keeps the API token out
 * of URLs, shell history and logs. An authenticated client (CLI, Electron) asks for a single-use login code;
 * the browser opens /ui/login?code=… which swaps it for an HttpOnly cookie and redirects to /ui/, so the code
 * leaves the address bar at once. Codes and the token are never logged.
 */

const CODE_TTL_MS = 60_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Mantine writes its CSS variables into <style> tags, hence 'unsafe-inline' for styles only.
const HTML_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** Single-use, short-lived codes exchanged for the session cookie. */
export class LoginCodes {
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly ttlMs = CODE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): { code: string; expiresAt: string } {
    this.prune();
    const code = randomBytes(32).toString('base64url');
    const expires = this.now() + this.ttlMs;
    this.codes.set(code, expires);
    return { code, expiresAt: new Date(expires).toISOString() };
  }

  /** True once per issued code, within its lifetime. */
  redeem(code: string): boolean {
    const expires = this.codes.get(code);
    if (expires === undefined) return false;
    this.codes.delete(code);
    return expires >= this.now();
  }

  private prune(): void {
    const now = this.now();
    for (const [c, exp] of this.codes) if (exp < now) this.codes.delete(c);
  }
}

export interface UiOptions {
  /** The daemon's API token, set as the `kl_token` cookie after a successful login. */
  token: string;
  /** Where the built dashboard lives; default <package root>/renderer/dist. */
  distDir?: string;
  codes?: LoginCodes;
}

/** Serves the pre-auth part of the dashboard; resolves false when the path is not the dashboard's. */
export type UiPublicHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export function defaultUiDistDir(): string {
  return join(packageRoot(), 'renderer', 'dist');
}

/**
 * Registers `POST /kl/v1/ui/login-code` (behind the daemon's auth) and returns the handler for `/`, `/ui/login`
 * and `/ui/**`, which the daemon must call BEFORE its token check (but after the Host/Origin check): a browser
 * has no token until it has logged in, and the static files hold no secrets.
 */
export function registerUiRoutes(router: Router, opts: UiOptions): UiPublicHandler {
  const codes = opts.codes ?? new LoginCodes();
  const distDir = resolve(opts.distDir ?? defaultUiDistDir());
  router.add('POST', ROUTES.uiLoginCode, (_req, res) => {
    const { code, expiresAt } = codes.issue();
    sendJson(res, 200, { code, expiresAt, path: `/ui/login?code=${encodeURIComponent(code)}` });
  });
  return async (req, res, url) => {
    const p = url.pathname;
    if (p !== '/' && p !== '/ui' && !p.startsWith('/ui/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (p === '/' || p === '/ui') {
      redirect(res, '/ui/');
      return true;
    }
    if (p === '/ui/login') {
      login(res, codes, opts.token, url.searchParams.get('code') ?? '');
      return true;
    }
    serveStatic(req, res, distDir, p.slice('/ui/'.length));
    return true;
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Cross-port request forgery defence for cookie sessions. SameSite=Strict does not separate ports (every port
 * of 127.0.0.1 is the same site), and the Origin check only asks for loopback, so a page on another local port
 * (a function behind the gateway, any dev server) could send simple requests (text/plain POSTs) that carry the
 * cookie. A request authenticated by the `kl_token` cookie alone must come from the daemon's own origin;
 * requests with an Authorization header (CLI, kubectl, Electron's main process) are not affected.
 * Call it after guardRequest() has accepted the request; answer 403 when it returns false.
 */
export function cookieRequestAllowed(req: IncomingMessage, daemonUrl: string): boolean {
  if (req.headers.authorization) return true;
  const own = new URL(daemonUrl);
  const site = req.headers['sec-fetch-site'];
  // `none`: the user typed or bookmarked the URL; `same-origin`: the dashboard itself.
  if (typeof site === 'string') return site === 'same-origin' || (site === 'none' && (req.method === 'GET' || req.method === 'HEAD'));
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    try {
      const o = new URL(origin);
      return LOOPBACK.has(o.hostname) && o.port === own.port;
    } catch {
      return false;
    }
  }
  // Old clients without Fetch Metadata or Origin: only reads.
  return req.method === 'GET' || req.method === 'HEAD';
}

function redirect(res: ServerResponse, to: string, extra: Record<string, string> = {}): void {
  res.writeHead(303, { Location: to, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', ...extra });
  res.end();
}

function login(res: ServerResponse, codes: LoginCodes, token: string, code: string): void {
  if (!code || !codes.redeem(code)) {
    const body = page('Sign-in link expired', 'This sign-in link has expired or was already used. Run <code>kyma-local dashboard</code> again (or open the desktop app).');
    res.writeHead(401, { ...HTML_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  redirect(res, '/ui/', { 'Set-Cookie': `kl_token=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/` });
}

function page(title: string, html: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto"><h1>${title}</h1><p>${html}</p></body></html>`;
}

/** Files with a content hash in their name (Vite's assets/) never change, so browsers may keep them forever. */
function isHashedAsset(rel: string): boolean {
  return rel.startsWith('assets/') && /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(rel);
}

function fileAt(path: string): { size: number } | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? { size: st.size } : undefined;
  } catch {
    return undefined;
  }
}

function serveStatic(req: IncomingMessage, res: ServerResponse, distDir: string, relRaw: string): void {
  let rel: string;
  try {
    rel = decodeURIComponent(relRaw);
  } catch {
    rel = '';
  }
  const target = resolve(distDir, rel);
  const inside = target === distDir || target.startsWith(distDir + sep);
  let file = inside && rel !== '' ? target : undefined;
  let stat = file ? fileAt(file) : undefined;
  // SPA fallback: client-side routes (no file extension) get index.html; a missing asset stays a 404.
  if (!stat && (extname(rel) === '' || rel === '')) {
    file = join(distDir, 'index.html');
    stat = fileAt(file);
    if (!stat) {
      const body = page('Dashboard not built', 'The dashboard files are missing (renderer/dist). Build them with <code>npm run build:ui</code> and reload.');
      res.writeHead(503, { ...HTML_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    rel = 'index.html';
  }
  if (!stat || !file || !inside) {
    sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `no dashboard file ${relRaw}`, reason: 'NotFound', code: 404 });
    return;
  }
  const ext = extname(file).toLowerCase();
  const headers: Record<string, string | number> = {
    'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': isHashedAsset(rel) ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (ext === '.html') Object.assign(headers, HTML_HEADERS);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', (err) => res.destroy(err))
    .pipe(res);
}
