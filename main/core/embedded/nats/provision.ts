import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import extractZip from 'extract-zip';
import { extract as extractTar } from 'tar';
import { checksumFor, natsRelease, type NatsRelease } from './release.js';

export interface ProvisionOptions {
  /** `<KYMA_LOCAL_HOME>/cache`: the binary goes to `bin/`, the download to `downloads/` while it runs. */
  cacheDir: string;
  /** Never touch the network; fail with what to put where instead. */
  offline?: boolean;
  onProgress?: (message: string) => void;
  /** Per request; a stalled mirror must not hang `up` forever. */
  timeoutMs?: number;
  /** Another OS/arch's release (packaging the desktop app for it); its binary cannot run here, so `--version` is skipped. */
  release?: NatsRelease;
}

export interface ProvisionedNats {
  path: string;
  /** As reported by `nats-server --version`, e.g. 2.11.3 (the pinned version for another platform's release). */
  version: string;
}

export class ProvisionError extends Error {}

/** Where a provisioned (or hand-placed) binary lives. */
export function cachedNatsServerPath(cacheDir: string, rel: NatsRelease = natsRelease()): string {
  return path.join(cacheDir, 'bin', rel.binaryName);
}

/** What to do by hand when the app cannot download: the exact file to fetch and the exact path to put the binary at. */
export function manualInstallHint(cacheDir: string, rel: NatsRelease = natsRelease()): string {
  return `download ${rel.asset} (nats-server release v${rel.version}, ${rel.assetUrl}), unpack it and put ${rel.folder}/${rel.binaryName} at ${cachedNatsServerPath(cacheDir, rel)}`;
}

/**
 * Downloads the pinned nats-server release for this OS/arch, verifies it against the release's SHA256SUMS,
 * unpacks it, checks `--version` and moves the binary into the cache. Everything is staged under temp names
 * and removed on failure, so a corrupted or interrupted download never leaves a binary the next `up` would trust.
 */
export async function provisionNatsServer(opts: ProvisionOptions): Promise<ProvisionedNats> {
  const rel = opts.release ?? natsRelease();
  const progress = opts.onProgress ?? (() => {});
  if (opts.offline) {
    throw new ProvisionError(`nats-server not found and --offline forbids downloading it — ${manualInstallHint(opts.cacheDir, rel)}`);
  }
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const tag = randomBytes(4).toString('hex');
  const downloads = path.join(opts.cacheDir, 'downloads');
  const binDir = path.join(opts.cacheDir, 'bin');
  const archive = path.join(downloads, `${rel.asset}.${tag}.partial`);
  const unpackDir = path.join(binDir, `.unpack-${tag}`);
  await mkdir(downloads, { recursive: true });
  await mkdir(binDir, { recursive: true });
  try {
    progress(`downloading nats-server v${rel.version} (${rel.asset})`);
    const sums = await (await get(rel.checksumsUrl, timeoutMs, opts.cacheDir, rel)).text();
    const expected = checksumFor(sums, rel.asset);
    if (!expected) throw new ProvisionError(`the release's checksum file ${rel.checksumsUrl} lists no ${rel.asset} — the mirror serves another release; fix KYMA_LOCAL_DOWNLOAD_MIRROR or ${manualInstallHint(opts.cacheDir, rel)}`);
    const actual = await download(await get(rel.assetUrl, timeoutMs, opts.cacheDir, rel), archive, rel, progress);
    if (actual !== expected) {
      throw new ProvisionError(`checksum mismatch for ${rel.asset} from ${rel.assetUrl}: SHA256SUMS says ${expected}, the download is ${actual} — the file is corrupted or was tampered with; nothing was installed`);
    }
    progress(`verified ${rel.asset} (sha256 ${actual.slice(0, 12)}…); unpacking`);
    await mkdir(unpackDir, { recursive: true });
    await unpack(archive, unpackDir, rel);
    const unpacked = path.join(unpackDir, rel.folder, rel.binaryName);
    if (!(await stat(unpacked).catch(() => undefined))?.isFile()) {
      throw new ProvisionError(`${rel.asset} holds no ${rel.folder}/${rel.binaryName} — not a nats-server release archive`);
    }
    await chmod(unpacked, 0o755);
    const version = opts.release ? rel.version : await natsServerVersion(unpacked);
    const target = cachedNatsServerPath(opts.cacheDir, rel);
    await rename(unpacked, target);
    progress(`nats-server v${version} installed at ${target}`);
    return { path: target, version };
  } finally {
    await rm(archive, { force: true });
    await rm(unpackDir, { recursive: true, force: true });
  }
}

/** `nats-server --version` → "2.11.3"; throws when the file does not run as nats-server here. */
export async function natsServerVersion(binary: string): Promise<string> {
  const r = await execa(binary, ['--version'], { reject: false, timeout: 10_000, all: true });
  const m = /nats-server:?\s+v?(\d+\.\d+\.\d+\S*)/.exec(r.all ?? '');
  if (r.exitCode !== 0 || !m) {
    throw new ProvisionError(`${binary} --version did not report a nats-server version (exit ${r.exitCode ?? 'none'}: ${(r.all || r.message || '').trim().slice(0, 200)}) — it is not a nats-server build for this machine`);
  }
  return m[1]!;
}

async function get(url: string, timeoutMs: number, cacheDir: string, rel: NatsRelease): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new ProvisionError(`nats-server not found and downloading it from ${url} failed (${cause}) — check the network or KYMA_LOCAL_DOWNLOAD_MIRROR, or ${manualInstallHint(cacheDir, rel)}`);
  }
  if (!res.ok || !res.body) {
    throw new ProvisionError(`nats-server not found and ${url} answered ${res.status} ${res.statusText} — check KYMA_LOCAL_DOWNLOAD_MIRROR, or ${manualInstallHint(cacheDir, rel)}`);
  }
  return res;
}

/** Streams the body to `file`, hashing as it goes; reports progress about every tenth of the size. */
async function download(res: Response, file: string, rel: NatsRelease, progress: (m: string) => void): Promise<string> {
  const total = Number(res.headers.get('content-length') ?? 0);
  const hash = createHash('sha256');
  let received = 0;
  let nextReport = 0.1;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      received += chunk.length;
      if (total > 0 && received / total >= nextReport) {
        progress(`downloading ${rel.asset}: ${mb(received)} of ${mb(total)} MB`);
        while (received / total >= nextReport) nextReport += 0.1;
      }
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), meter, createWriteStream(file));
  return hash.digest('hex');
}

async function unpack(archive: string, dir: string, rel: NatsRelease): Promise<void> {
  try {
    if (rel.format === 'zip') await extractZip(archive, { dir });
    else await extractTar({ file: archive, cwd: dir, strict: true });
  } catch (err) {
    throw new ProvisionError(`unpacking ${rel.asset} failed: ${(err as Error).message}`);
  }
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
