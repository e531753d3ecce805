import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KubeObject, Logger, ResourceType } from '../model/index.js';

const TMP_MARK = '.tmp-';

/** `<dir>/<group or core>/<plural>/<namespace or _cluster>/<name>.json` */
export function objectPath(dir: string, type: ResourceType, namespace: string | undefined, name: string): string {
  return path.join(dir, type.group || 'core', type.plural, type.namespaced ? (namespace ?? 'default') : '_cluster', `${encodeURIComponent(name)}.json`);
}

/**
 * Writes a file so that a crash leaves either the old or the new content, never a mix: temp file in the same
 * directory, fsync, rename over the target, fsync the directory so the rename itself is durable.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${file}${TMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

export async function removeFileDurable(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await syncDir(path.dirname(file)).catch(() => undefined);
}

async function syncDir(dir: string): Promise<void> {
  const dh = await fs.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Reads every stored object; removes temp files a crash left behind and skips (with a warning) unreadable files. */
export async function loadObjects(dir: string, log: Logger): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  await fs.mkdir(dir, { recursive: true });
  for (const file of await walk(dir)) {
    if (path.basename(file).includes(TMP_MARK)) {
      log.warn('Removing a temp file left by an interrupted write', { file });
      await fs.rm(file, { force: true });
      continue;
    }
    if (!file.endsWith('.json')) continue;
    try {
      const obj: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
      if (typeof obj === 'object' && obj !== null && 'kind' in obj && 'metadata' in obj) out.push(obj as KubeObject);
      else log.warn('Skipping a stored file that is not a resource', { file });
    } catch (e) {
      log.warn('Skipping an unreadable stored resource; move or delete it to silence this warning', { file, error: String(e) });
    }
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(p)));
    else if (e.isFile()) files.push(p);
  }
  return files;
}

/**
 * Serializes writes per file and coalesces bursts: each file has a chain of flushes, and a flush writes the
 * latest pending content (or deletes the file), so concurrent updates can't interleave on disk.
 */
export class WriteQueue {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, string | null>();

  constructor(private readonly log: Logger) {}

  /** Schedules `content` (null = delete) for `file`; resolves once that content (or a newer one) is durable. */
  schedule(file: string, content: string | null): Promise<void> {
    this.pending.set(file, content);
    const prev = this.chains.get(file) ?? Promise.resolve();
    // A failed earlier write must not block later ones.
    const next = prev.catch(() => undefined).then(() => this.flushOne(file));
    // The caller gets `next` (and sees failures); the tracked copy must never be an unhandled rejection.
    const tracked: Promise<void> = next.catch(() => undefined).finally(() => {
      if (this.chains.get(file) === tracked) this.chains.delete(file);
    });
    this.chains.set(file, tracked);
    return next;
  }

  private async flushOne(file: string): Promise<void> {
    if (!this.pending.has(file)) return;
    const content = this.pending.get(file);
    this.pending.delete(file);
    try {
      if (content === null || content === undefined) await removeFileDurable(file);
      else await writeFileAtomic(file, content);
    } catch (e) {
      this.log.error('Failed to persist a resource; it is kept in memory and written again on its next change', { file, error: String(e) });
      throw e;
    }
  }

  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }
}
