import { ApiError, isRecord } from '../../model/index.js';
import { ROUTES } from '../../api/index.js';
import type { DevSessions } from '../dev-sessions.js';
import type { Router } from '../http/router.js';
import { readJson, sendError, sendJson, startNdjson } from '../http/toolkit.js';

function dirsFrom(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.dirs) || body.dirs.length === 0 || !body.dirs.every((d) => typeof d === 'string')) {
    throw new ApiError(400, 'BadRequest', 'expected {"dirs": ["/abs/path", …]}');
  }
  return body.dirs as string[];
}

/** The dev loop API behind `kyma-local dev` and the dashboard's "add function folder". */
export function registerDevRoutes(router: Router, dev: DevSessions): void {
  router.add('GET', ROUTES.dev, (_req, res) => sendJson(res, 200, { items: dev.list() }));

  router.add('POST', ROUTES.dev, async (req, res) => {
    try {
      const items = await dev.add(dirsFrom(await readJson(req)));
      sendJson(res, 200, { items });
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError(400, 'BadRequest', (err as Error).message));
    }
  });

  router.add('POST', ROUTES.devRemove, async (req, res) => {
    try {
      await dev.remove(dirsFrom(await readJson(req)));
      sendJson(res, 200, { items: dev.list() });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.devStream, (req, res) => {
    const emit = startNdjson(res);
    const off = dev.onEvent((ev) => emit(ev));
    req.on('close', off);
  });
}
