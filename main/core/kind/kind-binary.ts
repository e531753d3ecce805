import { createHash } from 'node:crypto';
import { accessSync, constants, chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KIND_VERSION, kindAssetName, kindDownloadUrl } from './pins.js';

export interface KindBinary {
  path: string;
  source: 'env' | 'path' | 'cache' | 'download';
}

/** kind's names for this machine (`linux`/`darwin`/`windows` × `amd64`/`arm64`). */
export function kindPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): { os: string; arch: string } {
  const os = platform === 'win32' ? 'windows' : platform;
  const a = arch === 'x64' ? 'amd64' : arch;
  return { os, arch: a };
}

/** `<cache>/bin/kind-<version>`: versioned, so an upgrade of the pin never runs an old cached binary. */
export function cachedKindPath(cacheDir: string): string {
  return join(cacheDir, 'bin', `kind-${KIND_VERSION}`);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `$KYMA_LOCAL_KIND`, then `kind` on PATH, then the cache. Undefined when none exists. */
export function findKind(cacheDir: string, env: NodeJS.ProcessEnv = process.env): KindBinary | undefined {
  if (env.KYMA_LOCAL_KIND) return executable(env.KYMA_LOCAL_KIND) ? { path: env.KYMA_LOCAL_KIND, source: 'env' } : undefined;
  const exe = process.platform === 'win32' ? 'kind.exe' : 'kind';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, exe))) return { path: join(dir, exe), source: 'path' };
  }
  const cached = cachedKindPath(cacheDir);
  return executable(cached) ? { path: cached, source: 'cache' } : undefined;
}

/** How to get kind by hand, for messages: the URL, its checksum and the exact file to place. */
export function kindInstallHint(cacheDir: string): string {
  const { os, arch } = kindPlatform();
  const url = kindDownloadUrl(os, arch);
  return `install kind ${KIND_VERSION} (https://kind.sigs.k8s.io/docs/user/quick-start/#installation), or download ${url} (checksum: ${url}.sha256sum), make it executable and place it at ${cachedKindPath(cacheDir)}`;
}

export class KindDownloadError extends Error {}

export interface DownloadOptions {
  cacheDir: string;
  /** Replaces `https://github.com/kubernetes-sigs/kind/releases/download` (tests, mirrors). */
  baseUrl?: string;
  /** For the whole binary (default 120 s). */
  timeoutMs?: number;
  /** For the small checksum file, which doubles as the "are we online" probe (default 3 s). */
  probeTimeoutMs?: number;
}

/**
 * Downloads the pinned kind release for this OS/arch into the cache and verifies it against the published
 * `.sha256sum` before making it executable; nothing unverified is ever left where findKind looks.
 */
export async function downloadKind(opts: DownloadOptions): Promise<KindBinary> {
  const { os, arch } = kindPlatform();
  const asset = kindAssetName(os, arch);
  const url = opts.baseUrl ? `${opts.baseUrl}/${KIND_VERSION}/${asset}` : kindDownloadUrl(os, arch);
  const timeout = opts.timeoutMs ?? 120_000;
  const target = cachedKindPath(opts.cacheDir);
  const fail = (why: string): KindDownloadError => new KindDownloadError(`cannot download kind from ${url}: ${why} — on an offline machine ${kindInstallHint(opts.cacheDir)}`);
  let sumText: string;
  let body: Buffer;
  try {
    const sumRes = await fetch(`${url}.sha256sum`, { signal: AbortSignal.timeout(opts.probeTimeoutMs ?? Math.min(timeout, 3000)) });
    if (!sumRes.ok) throw fail(`checksum file answered HTTP ${sumRes.status}`);
    sumText = await sumRes.text();
    const res = await fetch(url, { signal: AbortSignal.timeout(timeout) });
    if (!res.ok) throw fail(`HTTP ${res.status}`);
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof KindDownloadError) throw err;
    throw fail((err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message);
  }
  const expected = sumText.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!/^[0-9a-f]{64}$/.test(expected)) throw fail(`the checksum file does not start with a SHA-256 (got "${sumText.slice(0, 80)}")`);
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== expected) throw new KindDownloadError(`the kind binary from ${url} does not match its published checksum (expected ${expected}, got ${actual}); nothing was installed — try again, or ${kindInstallHint(opts.cacheDir)}`);
  mkdirSync(join(opts.cacheDir, 'bin'), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, body, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  return { path: target, source: 'download' };
}
