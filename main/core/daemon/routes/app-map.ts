import { APIRULE, APPLICATION, FUNCTION, RESOURCE_TYPES, SUBSCRIPTION, ApiError, type ResourceType } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { EVENTING_SERVICE, type Telemetry } from '../../telemetry/index.js';
import { ROUTES, type FunctionDetails } from '../../api/index.js';
import type { Runtime } from '../../runtime.js';
import { buildAppMap } from '../app-map/index.js';
import type { Router } from '../http/router.js';
import { sendError, sendJson } from '../http/toolkit.js';

const DEFAULT_WINDOW_MS = 15 * 60_000;
const MAX_WINDOW_MS = 24 * 60 * 60_000;

/** GET /kl/v1/map[?windowMs=]: the app map (dashboard, `kyma-local map`), computed here and nowhere else. */
export function registerAppMapRoutes(router: Router, deps: { store: () => Store; runtime: () => Runtime; telemetry: Telemetry }): void {
  router.add('GET', ROUTES.map, (_req, res, _p, url) => {
    try {
      const w = url.searchParams.get('windowMs');
      const windowMs = w === null ? DEFAULT_WINDOW_MS : Number(w);
      if (!Number.isFinite(windowMs) || windowMs < 1000 || windowMs > MAX_WINDOW_MS) {
        throw new ApiError(400, 'BadRequest', `windowMs must be a number of milliseconds between 1000 and ${MAX_WINDOW_MS} (got "${w}")`);
      }
      const store = deps.store();
      const all = (type: ResourceType | undefined) => (type ? store.list(type).items : []);
      // Without serverless running (or in a runtime without it) the map still shows what is declared.
      let running: FunctionDetails[] = [];
      try {
        running = deps.runtime().capabilities.functions?.get().list() ?? [];
      } catch {
        running = [];
      }
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
          running,
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
