// The wire contract of application connectivity (the daemon routes, the CLI and the dashboard share it).
// The daemon's wire contract for application connectivity: what `GET /api/v1/applications` and the call console
// answer. Credentials appear only as their type, Secret name and whether the Secret exists — never their values.

export interface ApplicationEntryView {
  type: 'API' | 'Events';
  name?: string;
  targetUrl?: string;
  specificationUrl?: string;
  /** The in-cluster URL function code calls (API entries). */
  clusterUrl?: string;
  /** The same API from the host. */
  hostUrl?: string;
  credentials?: { type: string; secretName: string; secret: 'Found' | 'Missing' | 'Incomplete'; csrf: boolean };
  requestParametersSecretName?: string;
  served: boolean;
  problem?: string;
  /** Whether a specification is cached for offline use. */
  specCached: boolean;
}

export interface ApplicationServiceView {
  id: string;
  name: string;
  displayName?: string;
  description?: string;
  /** The `<service>` segment of gateway URLs. */
  gatewayPath: string;
  entries: ApplicationEntryView[];
}

/** One call through the application gateway, as the dashboard and CLI show it (never headers or bodies). */
export interface GatewayCallView {
  time: string;
  app: string;
  service: string;
  method: string;
  /** The target path (no query string: request parameters from Secrets may sit there). */
  path: string;
  /** What the caller got. */
  status: number;
  /** What the target answered, when it differs (5xx rewritten to 502) or the call was retried. */
  targetStatus?: number;
  latencyMs: number;
  retried: boolean;
  error?: string;
  traceId?: string;
  targetHost?: string;
}

export interface ApplicationView {
  name: string;
  displayName?: string;
  description?: string;
  state: string;
  message: string;
  labels: Record<string, string>;
  /** The event source legacy events of this Application get (its `application-type` label or name, cleaned). */
  eventSource: string;
  inbound: { url: string; tokenSecret: string };
  services: ApplicationServiceView[];
  recentCalls: GatewayCallView[];
}

export interface ApplicationsResponse {
  gateway: { hostUrl: string; compassHostUrl: string; clusterUrl: string; inboundUrl: string };
  applications: ApplicationView[];
}

/** `POST /api/v1/applications/<app>/call`: one call through the gateway from the dashboard's console. */
export interface GatewayCallRequest {
  service: string;
  method: string;
  /** Path after the service, with an optional query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface GatewayCallResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, cut at 64 KiB. */
  body: string;
  truncated: boolean;
  latencyMs: number;
}

/** `GET /api/v1/applications/<app>/services/<service>/spec`. */
export interface ServiceSpecResponse {
  app: string;
  service: string;
  entry?: string;
  specificationUrl: string;
  fetchedAt: string;
  /** True when the live fetch failed and the cached copy was served. */
  fromCache: boolean;
  contentType: string;
  spec: unknown;
}
