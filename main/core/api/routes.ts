// Every path of the daemon's own API, in one table. Clients build paths with apiPath(); the daemon registers
// its handlers with the same templates (daemon/http/router.ts turns `:name` into a path segment and a trailing
// `*` into an optional rest of the path).

export const API_PREFIX = '/kl/v1';

export const ROUTES = {
  status: '/kl/v1/status',
  profiles: '/kl/v1/profiles',
  up: '/kl/v1/up',
  /** POST {profile}: the plan `up` would carry out, and its preflight, without changing anything. */
  upPlan: '/kl/v1/up/plan',
  down: '/kl/v1/down',
  shutdown: '/kl/v1/shutdown',

  dev: '/kl/v1/dev',
  devRemove: '/kl/v1/dev/remove',
  devStream: '/kl/v1/dev/stream',

  events: '/kl/v1/events',
  eventsStream: '/kl/v1/events/stream',
  eventsPublish: '/kl/v1/events/publish',
  eventsPublishLegacy: '/kl/v1/events/publish-legacy',
  event: '/kl/v1/events/:id',
  eventReplay: '/kl/v1/events/:id/replay',

  functions: '/kl/v1/functions',
  function: '/kl/v1/functions/:namespace/:name',
  functionRevisions: '/kl/v1/functions/:namespace/:name/revisions',
  functionRollback: '/kl/v1/functions/:namespace/:name/rollback',
  /** GET the session, POST {port, break} to start, DELETE to stop (kyma-local debug). */
  functionDebug: '/kl/v1/functions/:namespace/:name/debug',
  /** Any method; the rest of the path and the query go to the function. */
  functionInvoke: '/kl/v1/functions/:namespace/:name/invoke*',

  /** The app map: declared resources and observed traffic (?windowMs=). */
  map: '/kl/v1/map',
  /** GET the examples shipped; POST {name, dir?} writes one and starts its dev loop. */
  examples: '/kl/v1/examples',
  gatewayApiRules: '/kl/v1/gateway/apirules',
  gatewayTry: '/kl/v1/gateway/apirules/:namespace/:name/try',
  gatewayIssuer: '/kl/v1/gateway/issuer',
  gatewayToken: '/kl/v1/gateway/token',
  gatewayRotate: '/kl/v1/gateway/rotate',
  applications: '/kl/v1/applications',
  applicationCall: '/kl/v1/applications/:app/call',
  applicationSpec: '/kl/v1/applications/:app/services/:service/spec',

  traces: '/kl/v1/traces',
  trace: '/kl/v1/traces/:traceId',
  logs: '/kl/v1/logs',
  metrics: '/kl/v1/metrics',
  telemetryStream: '/kl/v1/telemetry/stream',
  telemetryExport: '/kl/v1/telemetry/export',
  telemetryImport: '/kl/v1/telemetry/import',
  /** Prometheus text of every function metric. */
  prometheus: '/metrics',

  /** GET ?profile= → DoctorReport (kyma-local doctor). */
  doctor: '/kl/v1/doctor',
  /** POST {profile, offline} → NDJSON progress lines, then a SetupResult (kyma-local setup). */
  setup: '/kl/v1/setup',
  /** GET ?profile=&archive=&platform= → ImageListReport (kyma-local images list). */
  images: '/kl/v1/images',
  /** POST {profile, file?, platform?, offline?} → NDJSON progress lines, then an ImagesSaveResult. */
  imagesSave: '/kl/v1/images/save',
  /** POST {file?, profile?} → NDJSON progress lines, then an ImagesLoadResult. */
  imagesLoad: '/kl/v1/images/load',
  /** POST {file, withEvents, withTelemetry, includeSecrets} → NDJSON progress lines, then a SnapshotSaveResult. */
  snapshotSave: '/kl/v1/snapshot/save',
  /** POST {file, replace} → NDJSON progress lines, then a SnapshotLoadResult. */
  snapshotLoad: '/kl/v1/snapshot/load',
  /** GET → {items: SnapshotFileInfo[]}: the snapshot files in the home's snapshots/ folder (the dashboard's Save/Load). */
  snapshotFiles: '/kl/v1/snapshot/files',
  /** GET downloads one, PUT uploads one (raw body). */
  snapshotFile: '/kl/v1/snapshot/files/:name',

  uiLoginCode: '/kl/v1/ui/login-code',
  /** POST: ends the calling browser's dashboard session. */
  uiLogout: '/kl/v1/ui/logout',
  /** DELETE: ends every dashboard session (signs every browser out). */
  uiSessions: '/kl/v1/ui/sessions',
  healthz: '/healthz',
} as const;

export type RouteName = keyof typeof ROUTES;
export type RouteTemplate = (typeof ROUTES)[RouteName];

type Query = Record<string, string | number | boolean | undefined | null | Array<string | number>>;

/** A query string from the defined values (`?a=1&b=x`), or '' when there are none. */
export function queryString(query: Query | URLSearchParams | undefined): string {
  if (!query) return '';
  const sp = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) for (const x of v) sp.append(k, String(x));
      else sp.set(k, String(v));
    }
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/**
 * The path of a route with its `:params` filled in (URI-encoded) and an optional query; for the invoke route
 * `rest` is the path after `/invoke`.
 */
export function apiPath(route: RouteName, params: Record<string, string> = {}, query?: Query | URLSearchParams, rest = ''): string {
  const path = ROUTES[route].replace(/:([a-zA-Z]+)/g, (_m, key: string) => {
    const v = params[key];
    if (v === undefined) throw new Error(`apiPath(${route}): missing parameter ${key}`);
    return encodeURIComponent(v);
  });
  return path.replace(/\*$/, rest) + queryString(query);
}
