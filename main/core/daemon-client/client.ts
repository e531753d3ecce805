import { spawn } from 'node:child_process';
import { openSync, readFileSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isProcessAlive, readDaemonInfo, type DaemonInfo } from './daemon-info.js';
import { ensureStateDir, statePaths } from './state-dir.js';
import { readToken } from './token.js';
import { httpRequest, type PlainResponse } from './http-request.js';

export class DaemonNotRunningError extends Error {
  constructor() {
    super('daemon not running — run `kyma-local up`');
    this.name = 'DaemonNotRunningError';
  }
}

/** An error answer from the daemon; `status` carries the Kubernetes Status body when there is one. */
export class DaemonRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status?: { reason?: string; details?: { causes?: Array<{ field: string; message: string }> } },
  ) {
    super(message);
    this.name = 'DaemonRequestError';
  }
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  accept?: string;
  /** Return undefined on 404 instead of throwing. */
  allow404?: boolean;
}

/** The typed HTTP client the CLI and the Electron shell use to talk to the daemon. */
export class DaemonClient {
  constructor(
    readonly url: string,
    private readonly token: string,
    readonly info?: DaemonInfo,
  ) {}

  private headers(opts: RequestOptions): Record<string, string> {
    const h: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined || opts.rawBody !== undefined) h['Content-Type'] = opts.contentType ?? 'application/json';
    return h;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    let res: PlainResponse;
    try {
      res = await httpRequest(this.url + path, {
        method,
        headers: this.headers(opts),
        ...(opts.rawBody !== undefined ? { body: opts.rawBody } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      });
    } catch (err) {
      throw connectionError(err);
    }
    if (res.status === 404 && opts.allow404) return undefined as T;
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, res.text);
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  }

  /** A raw request (e.g. invoking a function); the caller reads status, headers and body. */
  async raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Response> {
    try {
      return await fetch(this.url + path, { method, headers: { ...headers, Authorization: `Bearer ${this.token}` }, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      throw connectionError(err);
    }
  }

  /** POSTs and reads a newline-delimited JSON stream, calling onItem per line; resolves at end of stream. */
  async stream(method: string, path: string, body: unknown, onItem: (item: unknown) => void, signal?: AbortSignal): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.url + path, { method, headers: this.headers({ body }), ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(signal ? { signal } : {}) });
    } catch (err) {
      throw connectionError(err);
    }
    if (!res.ok || !res.body) throw errorFromResponse(res.status, await res.text());
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) onItem(JSON.parse(line));
      }
    }
    if (buf.trim()) onItem(JSON.parse(buf));
  }
}

function connectionError(err: unknown): Error {
  // fetch wraps the socket error in `cause`; node:http throws it as it is.
  const e = err as { code?: string; cause?: { code?: string } };
  const code = e.cause?.code ?? e.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return new DaemonNotRunningError();
  return err instanceof Error ? err : new Error(String(err));
}

function errorFromResponse(code: number, text: string): DaemonRequestError {
  try {
    const body = JSON.parse(text) as { message?: string; reason?: string; details?: { causes?: Array<{ field: string; message: string }> } };
    return new DaemonRequestError(code, body.message ?? text, body);
  } catch {
    return new DaemonRequestError(code, text.trim() || `HTTP ${code}`);
  }
}

/** Finds the running daemon of this user's state dir; undefined if none answers. */
export async function findDaemon(stateDir: string): Promise<DaemonClient | undefined> {
  const paths = statePaths(stateDir);
  const info = readDaemonInfo(paths.daemonInfo);
  const token = readToken(paths.token);
  if (!info || !token || !isProcessAlive(info.pid)) return undefined;
  try {
    const res = await httpRequest(`${info.url}/healthz`, { timeoutMs: 2000 });
    const body = JSON.parse(res.text) as { pid?: number };
    if (res.status !== 200 || body.pid !== info.pid) return undefined;
  } catch {
    return undefined;
  }
  return new DaemonClient(info.url, token, info);
}

export async function connectDaemon(stateDir: string): Promise<DaemonClient> {
  const client = await findDaemon(stateDir);
  if (!client) throw new DaemonNotRunningError();
  return client;
}

/** The daemon's entry script, started as a process by path: the CLI and Electron never import the daemon. */
export function daemonEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'daemon', 'main.js');
}

/**
 * Starts the daemon in the background (detached, surviving the CLI) unless one is running, and waits until
 * it answers. Startup errors are read back from the daemon's log so the user sees the reason.
 */
export async function ensureDaemon(stateDir: string, env: NodeJS.ProcessEnv = process.env): Promise<{ client: DaemonClient; started: boolean }> {
  const existing = await findDaemon(stateDir);
  if (existing) return { client: existing, started: false };
  const paths = ensureStateDir(stateDir);
  const out = openSync(join(paths.root, 'daemon.stderr.log'), 'a', 0o600);
  const child = spawn(process.execPath, [daemonEntry()], {
    detached: true,
    windowsHide: true,
    stdio: ['ignore', out, out],
    env: { ...env, KYMA_LOCAL_HOME: stateDir, KYMA_LOCAL_FOREGROUND: '0' },
  });
  closeSync(out);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  child.unref();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`The daemon exited during startup (code ${exited}): ${lastLogError(paths.root)}`);
    const info = readDaemonInfo(paths.daemonInfo);
    if (info && info.pid === child.pid) {
      const client = await findDaemon(stateDir);
      if (client) return { client, started: true };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`The daemon did not answer within 15s; see ${paths.log}`);
}

function lastLogError(root: string): string {
  for (const f of ['daemon.stderr.log', 'daemon.log']) {
    try {
      const lines = readFileSync(join(root, f), 'utf8').trim().split('\n');
      const last = lines[lines.length - 1];
      if (last) {
        try {
          return (JSON.parse(last) as { msg?: string }).msg ?? last;
        } catch {
          return last;
        }
      }
    } catch {
      // try the next file
    }
  }
  return 'no log output';
}
