/** Talks to the daemon on the same origin; the HttpOnly `kl_token` cookie authenticates every request. */
import type { KubeStatus } from './types.js';

/** One field error of a 422 Status. */
export type StatusCause = NonNullable<NonNullable<KubeStatus['details']>['causes']>[number];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
    readonly causes: StatusCause[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The endpoint is missing (older daemon), the runtime lacks it (501) or its module is not running: show an empty state. */
  get unavailable(): boolean {
    return this.status === 404 || this.status === 501 || this.status === 503;
  }
}

const authListeners = new Set<(signedIn: boolean) => void>();
export function onAuthChange(fn: (signedIn: boolean) => void): () => void {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text();
  if (res.status === 401) authListeners.forEach((f) => f(false));
  try {
    const body = JSON.parse(text) as { message?: string; reason?: string; details?: { causes?: StatusCause[] } };
    return new ApiError(res.status, body.message ?? `HTTP ${res.status}`, body.reason, body.details?.causes ?? []);
  } catch {
    return new ApiError(res.status, text.trim() || `HTTP ${res.status}`);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'The daemon does not answer — is it running? Start it with `kyma-local up` (or reopen the desktop app).');
  }
  if (!res.ok) throw await errorFrom(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Reads a newline-delimited JSON response, calling onItem per line; resolves at the end of the stream.
 * Lines arriving in one chunk are handed over together (onBatch), so a busy stream costs one call per chunk.
 */
export async function ndjson<T>(
  path: string,
  opts: { method?: string; body?: unknown; signal?: AbortSignal; onBatch: (items: T[]) => void; onOpen?: () => void },
): Promise<void> {
  const res = await fetch(path, {
    method: opts.method ?? 'GET',
    credentials: 'same-origin',
    headers: { Accept: 'application/x-ndjson', ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (!res.ok || !res.body) throw await errorFrom(res);
  opts.onOpen?.();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    const nl = buf.lastIndexOf('\n');
    if (nl < 0) continue;
    const lines = buf.slice(0, nl).split('\n');
    buf = buf.slice(nl + 1);
    const items: T[] = [];
    for (const line of lines) if (line.trim()) items.push(JSON.parse(line) as T);
    if (items.length) opts.onBatch(items);
  }
  if (buf.trim()) opts.onBatch([JSON.parse(buf) as T]);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Kubernetes REST paths of the kinds the dashboard shows. */
export const KINDS = {
  Function: { group: 'serverless.kyma-project.io', version: 'v1alpha2', plural: 'functions', namespaced: true },
  Subscription: { group: 'eventing.kyma-project.io', version: 'v1alpha2', plural: 'subscriptions', namespaced: true },
  APIRule: { group: 'gateway.kyma-project.io', version: 'v2', plural: 'apirules', namespaced: true },
  Application: { group: 'applicationconnector.kyma-project.io', version: 'v1alpha1', plural: 'applications', namespaced: false },
  Secret: { group: '', version: 'v1', plural: 'secrets', namespaced: true },
  ConfigMap: { group: '', version: 'v1', plural: 'configmaps', namespaced: true },
} as const;

export type KindName = keyof typeof KINDS;

export function resourcePath(kind: KindName, namespace?: string, name?: string): string {
  const k = KINDS[kind];
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  const ns = k.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${k.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
