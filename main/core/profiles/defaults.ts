import type { EventingSettings, OidcClient, OidcSettings, OidcUser, ProfileLimits, ProfilePorts, ProfileRetention, TelemetrySettings } from './profile.js';

/** Defaults for every optional profile field; cluster-profiles/README.md documents the same values. */
export const DEFAULT_PORTS: ProfilePorts = { nats: 4222, gateway: 8080, publisher: 8081, otlp: 4318, broker: 0 };

export const DEFAULT_LIMITS: ProfileLimits = {
  maxReplicas: 10,
  // 64 MiB: upstream uses 700Mi, which is a lot of disk for a laptop.
  eventStreamMaxBytes: 64 * 1024 * 1024,
  requestBodyMb: 1,
};

export const DEFAULT_RETENTION: ProfileRetention = {
  traces: 10_000,
  logs: 50_000,
  metricPoints: 100_000,
  events: 10_000,
  // Together with the fixed costs (runtime, stores' indexes, nats client) these keep the daemon under ~500 MB
  // even when every record is as large as the receivers accept.
  eventBytes: 64 * 1024 * 1024,
  logBytes: 64 * 1024 * 1024,
  spanBytes: 96 * 1024 * 1024,
  keepStateOnDown: true,
};

export const DEFAULT_TELEMETRY: TelemetrySettings = { browserOrigins: [] };

// Faster than upstream's 30 s NAK delay so a failing sink shows retries while the developer watches.
export const DEFAULT_EVENTING: EventingSettings = { retryInitialMs: 1000, retryMaxMs: 30_000, maxDeliver: 100 };

export const DEFAULT_KIND_CLUSTER_NAME = 'kyma-local';

/** A demo client and user exist so the happy path (`kyma-local token`, a jwt APIRule) needs no configuration. */
export const DEMO_OIDC_CLIENT: OidcClient = { id: 'kyma-local-demo', secret: 'kyma-local-demo-secret', scopes: [], audience: 'kyma-local' };
export const DEMO_OIDC_USER: OidcUser = { name: 'developer', password: 'developer', email: 'developer@kyma.local', scopes: [] };
export const DEFAULT_OIDC: OidcSettings = { clients: [DEMO_OIDC_CLIENT], users: [DEMO_OIDC_USER], tokenTtlSeconds: 3600, keyGraceSeconds: 86_400 };
