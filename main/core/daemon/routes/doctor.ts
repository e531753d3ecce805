import { ROUTES, type DoctorReport } from '../../api/index.js';
import { profileRequest, type ProfileRequest } from '../http/profile-request.js';
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
    let request: ProfileRequest;
    try {
      request = profileRequest(await readJson(req));
    } catch (err) {
      sendError(res, err);
      return;
    }
    const emit = startNdjson(res);
    try {
      const done = await host.setup(request.profile, (message) => emit({ type: 'progress', message }), request.offline);
      emit({ type: 'result', ok: true, done });
    } catch (err) {
      emit({ type: 'result', ok: false, error: (err as Error).message });
    }
    res.end();
  });
}
