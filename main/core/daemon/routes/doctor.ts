import { ROUTES, type DoctorReport } from '../../api/index.js';
import { ApiError, isRecord } from '../../model/index.js';
import { readJson, sendError, sendJson, startNdjson } from '../http/toolkit.js';
import type { Router } from '../http/router.js';

export interface DoctorHost {
  /** The checks for `profile` (default: the last one used); a profile that does not load is itself a failed check. */
  doctor(profile: string | undefined): Promise<DoctorReport>;
  /** Fetches what `profile` needs (nats-server for embedded) without bringing the cluster up. */
  setup(profile: string | undefined, onProgress: (message: string) => void, offline: boolean): Promise<string[]>;
}

/** `kyma-local doctor` and `kyma-local setup`. */
export function registerDoctorRoutes(router: Router, host: DoctorHost): void {
  router.add('GET', ROUTES.doctor, async (_req, res, _params, url) => {
    try {
      sendJson(res, 200, await host.doctor(url.searchParams.get('profile') ?? undefined));
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.setup, async (req, res) => {
    let profile: string | undefined;
    let offline = false;
    try {
      const body = await readJson(req);
      if (isRecord(body) && body.profile !== undefined) {
        if (typeof body.profile !== 'string') throw new ApiError(400, 'BadRequest', 'profile must be a string (a profile name or an absolute file path)');
        profile = body.profile;
      }
      if (isRecord(body) && body.offline !== undefined) offline = body.offline === true;
    } catch (err) {
      sendError(res, err);
      return;
    }
    const emit = startNdjson(res);
    try {
      const done = await host.setup(profile, (message) => emit({ type: 'progress', message }), offline);
      emit({ type: 'result', ok: true, done });
    } catch (err) {
      emit({ type: 'result', ok: false, error: (err as Error).message });
    }
    res.end();
  });
}
