import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError, isRecord } from '../../model/index.js';
import { ROUTES, type SnapshotFileInfo } from '../../api/index.js';
import { readJson, sendError, sendJson, startNdjson } from '../http/toolkit.js';
import type { Router } from '../http/router.js';
import type { LoadOptions, LoadResult } from '../snapshot/load.js';
import type { SaveOptions, SaveResult } from '../snapshot/save.js';

export interface SnapshotService {
  saveSnapshot(opts: SaveOptions, progress: (message: string) => void): Promise<SaveResult>;
  loadSnapshot(opts: LoadOptions, progress: (message: string) => void): Promise<LoadResult>;
  /** `<home>/snapshots`: where the dashboard's snapshots are saved, uploaded and listed. */
  snapshotsDir(): string;
}

/** An uploaded or dashboard-saved snapshot is big (node_modules inside), but not unbounded. */
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.kyma$/;

function checkedName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) throw new ApiError(400, 'BadRequest', `name must be a file name ending in .kyma (letters, digits, . _ -), got ${JSON.stringify(name)}`);
  return name;
}

/** `file` (an absolute path, from the CLI) or `name` (a file in the home's snapshots folder, from the dashboard). */
function fileOf(body: unknown, service: SnapshotService): string {
  if (isRecord(body) && body.name !== undefined) return join(service.snapshotsDir(), checkedName(body.name));
  const file = isRecord(body) ? body.file : undefined;
  if (typeof file !== 'string' || !isAbsolute(file)) throw new ApiError(400, 'BadRequest', 'file must be an absolute path of the snapshot file (or name one in the home\'s snapshots folder)');
  return file;
}

function flag(body: unknown, name: string): boolean {
  const v = isRecord(body) ? body[name] : undefined;
  if (v !== undefined && typeof v !== 'boolean') throw new ApiError(400, 'BadRequest', `${name} must be a boolean`);
  return v === true;
}

/** `kyma-local snapshot save|load` and the dashboard's Save/Load: NDJSON progress lines, then one result line. */
export function registerSnapshotRoutes(router: Router, service: SnapshotService): void {
  router.add('POST', ROUTES.snapshotSave, async (req, res) => {
    let opts: SaveOptions;
    try {
      const body = await readJson(req);
      opts = { file: fileOf(body, service), withEvents: flag(body, 'withEvents'), withTelemetry: flag(body, 'withTelemetry'), includeSecrets: flag(body, 'includeSecrets') };
      if (isRecord(body) && body.name !== undefined) await mkdir(service.snapshotsDir(), { recursive: true, mode: 0o700 });
    } catch (err) {
      sendError(res, err);
      return;
    }
    const emit = startNdjson(res);
    try {
      const r = await service.saveSnapshot(opts, (message) => emit({ type: 'progress', message }));
      emit({ type: 'result', ok: true, file: r.file, bytes: r.bytes, manifest: r.manifest, warnings: r.warnings });
    } catch (err) {
      emit({ type: 'result', ok: false, error: (err as Error).message });
    }
    res.end();
  });

  router.add('POST', ROUTES.snapshotLoad, async (req, res) => {
    let opts: LoadOptions;
    try {
      const body = await readJson(req);
      opts = { file: fileOf(body, service), replace: flag(body, 'replace') };
      if (!existsSync(opts.file)) throw new ApiError(404, 'NotFound', `snapshot ${opts.file} not found`);
    } catch (err) {
      sendError(res, err);
      return;
    }
    const emit = startNdjson(res);
    try {
      const r = await service.loadSnapshot(opts, (message) => emit({ type: 'progress', message }));
      emit({ type: 'result', ok: true, manifest: r.manifest, status: r.status, functions: r.functions, warnings: r.warnings });
    } catch (err) {
      emit({ type: 'result', ok: false, error: (err as Error).message });
    }
    res.end();
  });

  router.add('GET', ROUTES.snapshotFiles, async (_req, res) => {
    const dir = service.snapshotsDir();
    const items: SnapshotFileInfo[] = [];
    for (const name of existsSync(dir) ? await readdir(dir) : []) {
      if (!NAME.test(name)) continue;
      const st = await stat(join(dir, name));
      if (st.isFile()) items.push({ name, bytes: st.size, modified: st.mtime.toISOString() });
    }
    sendJson(res, 200, { items: items.sort((a, b) => b.modified.localeCompare(a.modified)) });
  });

  router.add('GET', ROUTES.snapshotFile, async (_req, res, [name]) => {
    try {
      const file = join(service.snapshotsDir(), checkedName(name));
      const st = await stat(file).catch(() => undefined);
      if (!st?.isFile()) throw new ApiError(404, 'NotFound', `snapshot ${name} not found`);
      res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': st.size, 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' });
      await pipeline(createReadStream(file), res);
    } catch (err) {
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    }
  });

  router.add('PUT', ROUTES.snapshotFile, async (req, res, [name]) => {
    let tmp: string | undefined;
    try {
      const file = join(service.snapshotsDir(), checkedName(name));
      if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', `a snapshot upload may be at most ${MAX_UPLOAD_BYTES} bytes`);
      await mkdir(service.snapshotsDir(), { recursive: true, mode: 0o700 });
      tmp = `${file}.${process.pid}.upload`;
      let size = 0;
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > MAX_UPLOAD_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', `a snapshot upload may be at most ${MAX_UPLOAD_BYTES} bytes`);
            yield chunk;
          }
        },
        createWriteStream(tmp, { mode: 0o600 }),
      );
      await rename(tmp, file);
      tmp = undefined;
      sendJson(res, 201, { name, bytes: size });
    } catch (err) {
      sendError(res, err);
    } finally {
      if (tmp) await rm(tmp, { force: true });
    }
  });
}
