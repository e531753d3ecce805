import type { Router } from '../http/router.js';
import { readJson, sendError, sendJson, startNdjson } from '../http/toolkit.js';
import { profileRequest, type ProfileRequest } from '../http/profile-request.js';
import { ROUTES, type ProgressLine } from '../../api/index.js';
import type { Daemon } from '../daemon.js';

/** The daemon's own lifecycle API: status, up/down with streamed progress, shutdown, profiles. */
export function registerControlRoutes(router: Router, daemon: Daemon): void {
  router.add('GET', ROUTES.status, (_req, res) => sendJson(res, 200, daemon.statusReport()));

  router.add('GET', ROUTES.profiles, async (_req, res) => {
    try {
      sendJson(res, 200, { items: await daemon.listProfiles() });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.up, async (req, res) => {
    let request: ProfileRequest;
    try {
      request = profileRequest(await readJson(req));
    } catch (err) {
      sendError(res, err);
      return;
    }
    const emit: (line: ProgressLine) => void = startNdjson(res);
    try {
      const status = await daemon.up(request.profile, (ev) => emit({ type: 'progress', ...ev }), { offline: request.offline });
      emit({ type: 'result', ok: true, status });
    } catch (err) {
      emit({ type: 'result', ok: false, error: (err as Error).message, status: daemon.clusterStatus() });
    }
    res.end();
  });

  router.add('POST', ROUTES.upPlan, async (req, res) => {
    try {
      sendJson(res, 200, await daemon.plan(profileRequest(await readJson(req)).profile));
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.down, async (_req, res) => {
    const emit: (line: ProgressLine) => void = startNdjson(res);
    try {
      await daemon.down((ev) => emit({ type: 'progress', ...ev }));
      emit({ type: 'result', ok: true, status: daemon.clusterStatus() });
    } catch (err) {
      emit({ type: 'result', ok: false, error: (err as Error).message });
    }
    res.end();
  });

  router.add('POST', ROUTES.shutdown, (_req, res) => {
    sendJson(res, 202, { message: 'daemon stopping' });
    // Answer first: the caller waits for the pid to exit rather than for this response.
    setImmediate(() => void daemon.shutdown('requested through the API'));
  });
}
