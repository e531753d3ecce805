import { isAbsolute } from 'node:path';
import { ApiError, isRecord } from '../../model/index.js';
import { ROUTES } from '../../api/index.js';
import { readJson, sendError, startNdjson } from '../http/toolkit.js';
import type { Router } from '../http/router.js';
import type { LoadOptions, LoadResult } from '../snapshot/load.js';
import type { SaveOptions, SaveResult } from '../snapshot/save.js';

export interface SnapshotService {
  saveSnapshot(opts: SaveOptions, progress: (message: string) => void): Promise<SaveResult>;
  loadSnapshot(opts: LoadOptions, progress: (message: string) => void): Promise<LoadResult>;
}

function fileOf(body: unknown): string {
  const file = isRecord(body) ? body.file : undefined;
  if (typeof file !== 'string' || !isAbsolute(file)) throw new ApiError(400, 'BadRequest', 'file must be an absolute path of the snapshot file');
  return file;
}

function flag(body: unknown, name: string): boolean {
  const v = isRecord(body) ? body[name] : undefined;
  if (v !== undefined && typeof v !== 'boolean') throw new ApiError(400, 'BadRequest', `${name} must be a boolean`);
  return v === true;
}

/** `kyma-local snapshot save|load`: NDJSON progress lines, then one result line. */
export function registerSnapshotRoutes(router: Router, service: SnapshotService): void {
  router.add('POST', ROUTES.snapshotSave, async (req, res) => {
    let opts: SaveOptions;
    try {
      const body = await readJson(req);
      opts = { file: fileOf(body), withEvents: flag(body, 'withEvents'), withTelemetry: flag(body, 'withTelemetry'), includeSecrets: flag(body, 'includeSecrets') };
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
      opts = { file: fileOf(body), replace: flag(body, 'replace') };
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
}
