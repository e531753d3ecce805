import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create as createTar, extract as extractTar, list as listTar, type ReadEntry } from 'tar';
import { MANIFEST_NAME, SNAPSHOT_FORMAT, SnapshotError, type SnapshotEntry, type SnapshotManifest } from './manifest.js';

async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Every file and symlink under `dir`, hashed, sorted by path. */
export async function describeTree(dir: string, rel = ''): Promise<SnapshotEntry[]> {
  const out: SnapshotEntry[] = [];
  for (const name of (await readdir(path.join(dir, rel))).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const abs = path.join(dir, r);
    const st = await lstat(abs);
    if (st.isSymbolicLink()) {
      out.push({ path: r, type: 'symlink', size: 0, sha256: createHash('sha256').update(await readlink(abs)).digest('hex') });
    } else if (st.isDirectory()) {
      out.push(...(await describeTree(dir, r)));
    } else if (st.isFile()) {
      out.push({ path: r, type: 'file', size: st.size, sha256: await hashFile(abs) });
    }
  }
  return out;
}

/**
 * Writes `dir` (staged content, without manifest) as a snapshot file: manifest.json first, then every entry.
 * `manifest.entries` is filled in here.
 */
export async function packSnapshot(dir: string, manifest: Omit<SnapshotManifest, 'entries'>, file: string): Promise<SnapshotManifest> {
  const entries = await describeTree(dir);
  const full: SnapshotManifest = { ...manifest, entries };
  await writeFile(path.join(dir, MANIFEST_NAME), JSON.stringify(full, null, 2) + '\n');
  // portable: no uid/gid/user names of this machine in the file; mtimes stay (npm does not care, people might).
  await createTar({ gzip: true, file, cwd: dir, portable: true }, [MANIFEST_NAME, ...new Set(entries.map((e) => e.path.split('/')[0]!))]);
  return full;
}

/**
 * Reads a snapshot file end to end, hashing every entry as it streams by, and checks it against its manifest:
 * nothing missing, nothing extra, nothing changed, a format this version reads. Changes nothing on disk.
 */
export async function verifySnapshot(file: string): Promise<SnapshotManifest> {
  const seen = new Map<string, { type: SnapshotEntry['type']; size: number; sha256: string }>();
  let manifestText: string | undefined;
  const pending: Array<Promise<void>> = [];
  try {
    await listTar({
      file,
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const p = entry.path.replace(/\/$/, '');
        if (entry.type === 'Directory') {
          entry.resume();
          return;
        }
        if (entry.type === 'SymbolicLink') {
          seen.set(p, { type: 'symlink', size: 0, sha256: createHash('sha256').update(entry.linkpath ?? '').digest('hex') });
          entry.resume();
          return;
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          throw new SnapshotError(`unexpected ${entry.type} entry ${p}: a snapshot holds files and symlinks only`);
        }
        const h = createHash('sha256');
        const chunks: Buffer[] = [];
        const isManifest = p === MANIFEST_NAME;
        let size = 0;
        entry.on('data', (c: Buffer) => {
          h.update(c);
          size += c.length;
          if (isManifest) chunks.push(c);
        });
        pending.push(
          new Promise((resolve) =>
            entry.on('end', () => {
              if (isManifest) manifestText = Buffer.concat(chunks).toString('utf8');
              else seen.set(p, { type: 'file', size, sha256: h.digest('hex') });
              resolve();
            }),
          ),
        );
      },
    });
    await Promise.all(pending);
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`${file} is truncated or not a Kyma Local snapshot (${(err as Error).message})`);
  }
  if (manifestText === undefined) throw new SnapshotError(`${file} has no ${MANIFEST_NAME} — not a Kyma Local snapshot`);
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(manifestText) as SnapshotManifest;
  } catch (err) {
    throw new SnapshotError(`${file}: ${MANIFEST_NAME} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof manifest.format !== 'number' || !Array.isArray(manifest.entries)) throw new SnapshotError(`${file}: ${MANIFEST_NAME} lacks format or entries — not a Kyma Local snapshot`);
  if (manifest.format > SNAPSHOT_FORMAT) {
    throw new SnapshotError(`${file} was written by Kyma Local ${manifest.app?.version ?? '?'} in snapshot format ${manifest.format}; this version (format ${SNAPSHOT_FORMAT}) cannot read it — upgrade Kyma Local`);
  }
  const problems: string[] = [];
  for (const e of manifest.entries) {
    const got = seen.get(e.path);
    if (!got) problems.push(`${e.path} is missing`);
    else if (got.type !== e.type || got.sha256 !== e.sha256 || got.size !== e.size) problems.push(`${e.path} does not match its sha256 in the manifest`);
    seen.delete(e.path);
  }
  for (const extra of seen.keys()) problems.push(`${extra} is not listed in the manifest`);
  if (problems.length > 0) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new SnapshotError(`${file} failed its integrity check — ${problems.slice(0, 5).join('; ')}${more}; it was changed or damaged after it was saved`);
  }
  return manifest;
}

/** Extracts a verified snapshot into `dir` (which must be empty); symlinks that would point outside it are refused. */
export async function unpackSnapshot(file: string, dir: string): Promise<void> {
  const refused: string[] = [];
  await extractTar({
    file,
    cwd: dir,
    strict: true,
    filter: (p, entry) => {
      const e = entry as ReadEntry;
      if (e.type !== 'SymbolicLink') return true;
      const target = path.resolve(path.dirname(path.join(dir, p)), e.linkpath ?? '');
      if (target.startsWith(dir + path.sep)) return true;
      refused.push(`${p} → ${e.linkpath}`);
      return false;
    },
  });
  if (refused.length > 0) throw new SnapshotError(`the snapshot has links pointing outside it (${refused.slice(0, 3).join(', ')}) — refused`);
}
