import { APIRULE, APPLICATION, FUNCTION, RESOURCE_TYPES, SUBSCRIPTION, ApiError, type ResourceType } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { Telemetry } from '../telemetry/index.js';
import { buildAppMap } from './app-map/index.js';
import type { ModuleHandles } from './modules.js';
import { EVENTING_SERVICE } from './platform-tracing.js';
import type { Router } from './router.js';
import { sendError, sendJson } from './http-util.js';

const DEFAULT_WINDOW_MS = 15 * 60_000;
const MAX_WINDOW_MS = 24 * 60 * 60_000;

/** GET /kl/v1/map[?windowMs=]: the app map (dashboard, `kyma-local map`), computed here and nowhere else. */
export function registerAppMapRoutes(router: Router, deps: { store: () => Store; handles: ModuleHandles; telemetry: Telemetry }): void {
  router.add('GET', /^\/kl\/v1\/map$/, (_req, res, _p, url) => {
    try {
      const w = url.searchParams.get('windowMs');
      const windowMs = w === null ? DEFAULT_WINDOW_MS : Number(w);
      if (!Number.isFinite(windowMs) || windowMs < 1000 || windowMs > MAX_WINDOW_MS) {
        throw new ApiError(400, 'BadRequest', `windowMs must be a number of milliseconds between 1000 and ${MAX_WINDOW_MS} (got "${w}")`);
      }
      const store = deps.store();
      const all = (type: ResourceType | undefined) => (type ? store.list(type).items : []);
      const serverless = deps.handles.serverless;
      const now = new Date();
      sendJson(
        res,
        200,
        buildAppMap({
          functions: all(FUNCTION),
          subscriptions: all(SUBSCRIPTION),
          apiRules: all(APIRULE),
          applications: all(APPLICATION),
          bindings: all(RESOURCE_TYPES.find((t) => t.kind === 'ServiceBinding')),
          running: serverless && serverless.status().state === 'Ready' ? serverless.api.list() : [],
          spans: deps.telemetry.recentSpans(now.getTime() - windowMs),
          windowMs,
          eventingService: EVENTING_SERVICE,
          now,
        }),
      );
    } catch (err) {
      sendError(res, err);
    }
  });
}
