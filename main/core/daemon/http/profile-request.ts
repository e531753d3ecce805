import { ApiError, isRecord } from '../../model/index.js';

/** The body of up, up/plan and setup: which profile, and whether to stay offline. */
export interface ProfileRequest {
  profile?: string;
  offline: boolean;
}

/** Parses that body; a field of the wrong type is a 400 naming it. */
export function profileRequest(body: unknown): ProfileRequest {
  const out: ProfileRequest = { offline: false };
  if (!isRecord(body)) return out;
  if (body.profile !== undefined) {
    if (typeof body.profile !== 'string') throw new ApiError(400, 'BadRequest', 'profile must be a string (a profile name or an absolute file path)');
    out.profile = body.profile;
  }
  if (body.offline !== undefined) {
    if (typeof body.offline !== 'boolean') throw new ApiError(400, 'BadRequest', 'offline must be a boolean');
    out.offline = body.offline;
  }
  return out;
}
