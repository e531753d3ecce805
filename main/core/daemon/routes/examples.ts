import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ApiError, isRecord } from '../../model/index.js';
import { listExamples, writeExample } from '../../workspace/index.js';
import { ROUTES } from '../../api/index.js';
import type { DevSessions } from '../dev-sessions.js';
import type { Router } from '../http/router.js';
import { readJson, sendError, sendJson } from '../http/toolkit.js';

/** ~/kyma-local-examples/NAME, or NAME-2, NAME-3, … when that is taken: an example never overwrites anything. */
function freeFolder(name: string): string {
  const base = join(homedir(), 'kyma-local-examples');
  for (let i = 1; ; i++) {
    const dir = join(base, i === 1 ? name : `${name}-${i}`);
    if (!existsSync(dir)) return dir;
  }
}

/** The dashboard's "Start from an example": write the example's folders and start the dev loop on them. */
export function registerExampleRoutes(router: Router, dev: DevSessions): void {
  router.add('GET', ROUTES.examples, async (_req, res) => sendJson(res, 200, { items: await listExamples() }));

  router.add('POST', ROUTES.examples, async (req, res) => {
    try {
      const body = await readJson(req);
      if (!isRecord(body) || typeof body.name !== 'string') throw new ApiError(400, 'BadRequest', 'expected {"name": "order-flow", "dir": "/abs/path" (optional)}');
      if (body.dir !== undefined && (typeof body.dir !== 'string' || !isAbsolute(body.dir))) throw new ApiError(400, 'BadRequest', '"dir" must be an absolute path');
      const dir = typeof body.dir === 'string' ? body.dir : freeFolder(body.name);
      let files: string[];
      try {
        files = await writeExample(body.name, dir);
      } catch (err) {
        throw new ApiError(400, 'BadRequest', (err as Error).message);
      }
      const folders = await dev.add([dir]);
      sendJson(res, 200, { dir, files, folders });
    } catch (err) {
      sendError(res, err);
    }
  });
}
