import { APPLICATION, applicationSpec, gatewayServiceName, normalizeServiceName, type ApplicationEntry, type ApplicationService } from '../../model/index.js';
import type { Store } from '../../store/index.js';

/** An error the gateway answers with upstream's body `{"code":…,"error":…}`. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type GatewayMode = 'proxy' | 'compass';

export interface ResolvedApi {
  app: string;
  service: ApplicationService;
  entry: ApplicationEntry;
  /** The `<app>/<service>[/<entry>]` prefix, for rewriting redirects back through the gateway. */
  prefix: string;
  /** The rest of the path after the prefix, still percent-encoded as received. */
  rest: string;
  skipVerify: boolean;
}

/**
 * Finds the API entry a gateway path names: `/<app>/<service>/<path>` (port 8080) or
 * `/<app>/<service>/<entry>/<path>` (8082), with upstream's status codes: parts missing 400, unknown Application 404,
 * no such API 404, ambiguous 400.
 */
export function resolveApi(store: Store, mode: GatewayMode, rawPath: string): ResolvedApi {
  const split = rawPath.replace(/^\/+|\/+$/g, '').split('/');
  const need = mode === 'compass' ? 3 : 2;
  if (split.length < need || split.slice(0, need).some((s) => s === '')) {
    throw new GatewayError(400, mode === 'compass' ? 'path must contain Application, Service and Entry name' : 'path must contain Application and Service name');
  }
  const [app, svc, entryName] = split.map((s) => decodeURIComponent(s));
  const obj = store.find(APPLICATION, undefined, app!);
  if (!obj) {
    const known = store.list(APPLICATION).items.map((a) => a.metadata.name);
    throw new GatewayError(404, `Application: ${app} not found. Registered Applications: ${known.join(', ') || 'none'}`);
  }
  const spec = applicationSpec(obj);
  const matches: Array<{ service: ApplicationService; entry: ApplicationEntry }> = [];
  for (const service of spec.services) {
    if (gatewayServiceName(service) !== svc) continue;
    for (const entry of service.entries) {
      if (entry.type !== 'API') continue;
      if (mode === 'compass' && normalizeServiceName(entry.name ?? '') !== entryName) continue;
      matches.push({ service, entry });
    }
  }
  if (matches.length === 0) {
    const names = spec.services.filter((s) => s.entries.some((e) => e.type === 'API')).map((s) => gatewayServiceName(s));
    throw new GatewayError(404, `service not found: Application ${app} has no API service "${svc}"${mode === 'compass' ? ` with entry "${entryName}"` : ''} (its API services: ${names.join(', ') || 'none'})`);
  }
  if (matches.length > 1) {
    const infos = matches.map((m) => `service.ID: '${m.service.id}', service.DisplayName: '${m.service.displayName ?? ''}', entry.Name: '${m.entry.name ?? ''}'`);
    throw new GatewayError(400, `multiple services found: ${infos.join(' | ')}${mode === 'proxy' ? ' — use the :8082 form with the entry name' : ''}`);
  }
  const m = matches[0]!;
  return { app: app!, ...m, prefix: split.slice(0, need).join('/'), rest: split.slice(need).join('/'), skipVerify: spec.skipVerify === true };
}
