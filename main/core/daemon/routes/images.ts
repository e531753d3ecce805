import { ROUTES, type ImageListReport, type ImagesLoadResult, type ImagesSaveResult } from '../../api/index.js';
import { ApiError, isRecord } from '../../model/index.js';
import { readJson, sendError, sendJson, startNdjson } from '../http/toolkit.js';
import type { Router } from '../http/router.js';

export interface ImagesSaveRequest {
  profile?: string;
  /** Absolute path; default under the cache dir. */
  file?: string;
  platform?: string;
  offline: boolean;
}

export interface ImagesLoadRequest {
  profile?: string;
  /** Absolute path; default: the profile's archive under the cache dir. */
  file?: string;
}

/** `kyma-local images list|save|load`: the kind profile's images in Docker and in one archive. */
export interface ImagesHost {
  listImages(profile: string | undefined, archive: string | undefined, platform: string | undefined): Promise<ImageListReport>;
  saveImages(req: ImagesSaveRequest, onProgress: (message: string) => void): Promise<ImagesSaveResult>;
  loadImages(req: ImagesLoadRequest, onProgress: (message: string) => void): Promise<ImagesLoadResult>;
}

function optionalString(body: unknown, key: string, what: string): string | undefined {
  const v = isRecord(body) ? body[key] : undefined;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new ApiError(400, 'BadRequest', `${key} must be ${what}`);
  return v;
}

function absolutePath(value: string | undefined, key: string): string | undefined {
  // The daemon's working directory is not the user's: a relative path would land somewhere else.
  if (value !== undefined && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value)) throw new ApiError(400, 'BadRequest', `${key} must be an absolute path, got ${JSON.stringify(value)}`);
  return value;
}

/** A long task as NDJSON: progress lines, then one result line (TaskLine). */
async function runTask<R extends object>(res: Parameters<typeof startNdjson>[0], task: (progress: (message: string) => void) => Promise<R>): Promise<void> {
  const emit = startNdjson(res);
  try {
    const result = await task((message) => emit({ type: 'progress', message }));
    emit({ type: 'result', ok: true, ...result });
  } catch (err) {
    emit({ type: 'result', ok: false, error: (err as Error).message });
  }
  res.end();
}

export function registerImagesRoutes(router: Router, host: ImagesHost): void {
  router.add('GET', ROUTES.images, async (_req, res, _params, url) => {
    try {
      const q = url.searchParams;
      sendJson(res, 200, await host.listImages(q.get('profile') ?? undefined, absolutePath(q.get('archive') ?? undefined, 'archive'), q.get('platform') ?? undefined));
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.imagesSave, async (req, res) => {
    let request: ImagesSaveRequest;
    try {
      const body = await readJson(req);
      const offline = isRecord(body) ? body.offline : undefined;
      if (offline !== undefined && typeof offline !== 'boolean') throw new ApiError(400, 'BadRequest', 'offline must be a boolean');
      const profile = optionalString(body, 'profile', 'a profile name or an absolute file path');
      const file = absolutePath(optionalString(body, 'file', 'an absolute path'), 'file');
      const platform = optionalString(body, 'platform', 'linux/amd64 or linux/arm64');
      request = { offline: offline === true, ...(profile ? { profile } : {}), ...(file ? { file } : {}), ...(platform ? { platform } : {}) };
    } catch (err) {
      sendError(res, err);
      return;
    }
    await runTask(res, (progress) => host.saveImages(request, progress));
  });

  router.add('POST', ROUTES.imagesLoad, async (req, res) => {
    let request: ImagesLoadRequest;
    try {
      const body = await readJson(req);
      const profile = optionalString(body, 'profile', 'a profile name or an absolute file path');
      const file = absolutePath(optionalString(body, 'file', 'an absolute path'), 'file');
      request = { ...(profile ? { profile } : {}), ...(file ? { file } : {}) };
    } catch (err) {
      sendError(res, err);
      return;
    }
    await runTask(res, (progress) => host.loadImages(request, progress));
  });
}
