import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type Logger, type ResourceType } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { handleResource } from './crud.js';
import { apiGroup, apiGroupList, apiResourceList, coreVersions, versionInfo } from './discovery.js';
import { methodNotAllowed, notFoundPath, sendJson, sendStatus } from './http.js';
import { openApiV2Document } from './openapi-v2.js';
import { openApiV3Document, openApiV3Root } from './openapi-v3.js';
import { isKubePath, resolveRoute, type KubeRoute } from './routes.js';
import { parseServiceProxyPath, proxyToService, type ServiceResolver } from './service-proxy.js';

export interface KubeApiOptions {
  store: Store;
  types: ResourceType[];
  log: Logger;
  /** The Kyma Local version, shown in `/version` as semver build metadata. */
  version?: string;
  /** Where `services/{name}/proxy` requests go (the runtime's services); without it every service is unknown (404). */
  services?: ServiceResolver;
}

export interface KubeApi {
  /**
   * Serves a Kubernetes API request (discovery, /version, OpenAPI, resources, the service proxy) and returns true, or returns
   * false when the path is not part of the Kubernetes API. Authentication is the caller's job.
   */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Watch streams currently open (each holds a store listener until its client disconnects or times out). */
  activeWatches(): number;
}

function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((a) => ['application/json', 'application/*', '*/*'].includes(a.split(';')[0]!.trim()));
}

export function createKubeApi(opts: KubeApiOptions): KubeApi {
  const { store, types, log } = opts;
  const documents = new Map<string, unknown>();
  const watches = new Set<ServerResponse>();
  // Discovery and OpenAPI documents depend only on the types: build each once.
  const cached = (key: string, build: () => unknown): unknown => {
    if (!documents.has(key)) documents.set(key, build());
    return documents.get(key);
  };

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL, route: KubeRoute): Promise<void> {
    if (route.kind === 'resource') return handleResource({ req, res, url, route, store, log, watches });
    if (route.kind === 'unknown') throw notFoundPath(url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', url.pathname);
    switch (route.kind) {
      case 'version':
        return sendJson(res, 200, versionInfo(opts.version));
      case 'core-versions':
        return sendJson(res, 200, coreVersions(req.headers.host ?? '127.0.0.1'));
      case 'group-list':
        return sendJson(res, 200, cached('groups', () => apiGroupList(types)));
      case 'group':
        return sendJson(res, 200, cached(`group/${route.group}`, () => apiGroup(types, route.group)));
      case 'resource-list':
        return sendJson(res, 200, cached(`resources/${route.group}/${route.version}`, () => apiResourceList(types, route.group, route.version)));
      case 'openapi-v3-root':
        return sendJson(res, 200, cached('openapi-v3', () => openApiV3Root(types)));
      case 'openapi-v3-gv': {
        const doc = cached(`openapi-v3/${route.group}/${route.version}`, () => openApiV3Document(types, route.group, route.version));
        if (doc === undefined) throw notFoundPath(url.pathname);
        return sendJson(res, 200, doc);
      }
      case 'openapi-v2':
        if (!acceptsJson(req.headers.accept)) {
          throw new ApiError(406, 'BadRequest', 'only application/json is served for /openapi/v2 (no protobuf); kubectl works without it via /openapi/v3');
        }
        return sendJson(res, 200, cached('openapi-v2', () => openApiV2Document(types)));
    }
  }

  return {
    activeWatches: () => watches.size,
    async handle(req, res, url) {
      if (!isKubePath(url.pathname)) return false;
      try {
        const proxied = parseServiceProxyPath(url.pathname);
        if (proxied) proxyToService(req, res, url, proxied, opts.services ?? (() => undefined));
        else await serve(req, res, url, resolveRoute(url.pathname, types));
      } catch (err) {
        if (res.headersSent) {
          log.warn(`Kubernetes API request ${req.method} ${url.pathname} failed after the response started: ${(err as Error).message}`);
          res.end();
        } else if (err instanceof ApiError) {
          sendStatus(res, err.toStatus());
        } else {
          log.error(`Kubernetes API request ${req.method} ${url.pathname} failed: ${(err as Error).stack ?? String(err)}`);
          sendStatus(res, new ApiError(500, 'InternalError', `Internal error while serving ${req.method} ${url.pathname}: ${(err as Error).message}`).toStatus());
        }
      }
      return true;
    },
  };
}
