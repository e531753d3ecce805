/** The cluster profile schema (cluster-profiles/*.yaml), after validation and defaulting. */
export const MODULE_NAMES = ['serverless', 'eventing', 'api-gateway', 'application-connector', 'telemetry', 'btp-operator'] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

import type { RuntimeKind } from '../api/index.js';
export type { RuntimeKind };

export interface ProfilePorts {
  /** 0 means "any free loopback port". */
  nats: number;
  /** Function gateway (APIRule exposure and function URLs). */
  gateway: number;
  /** Eventing publisher proxy. */
  publisher: number;
  /** OTLP/HTTP receiver. */
  otlp: number;
  /** The built-in OSB service broker (btp-operator module); default 0. */
  broker: number;
  /**
   * nats-server's monitoring port, bound only when set (0 = any free port): it answers any Host and origin, so
   * it stays closed unless a user asks for it.
   */
  natsMonitor?: number;
}

export interface ProfileLimits {
  /** Upper bound on Function replicas, so a typo does not start 500 processes. */
  maxReplicas: number;
  /** JetStream stream max bytes (e.g. "700Mi" upstream; smaller locally). */
  eventStreamMaxBytes: number;
  /** Default REQ_MB_LIMIT for functions. */
  requestBodyMb: number;
}

export interface ProfileRetention {
  /** Spans kept (count); spanBytes bounds them in bytes as well. */
  traces: number;
  logs: number;
  metricPoints: number;
  events: number;
  /** Byte budgets: the oldest records go first once their estimated size passes these (documented defaults). */
  eventBytes: number;
  logBytes: number;
  spanBytes: number;
  /** Keep resources and JetStream data across `down`/`up`. */
  keepStateOnDown: boolean;
}

export interface EventingSettings {
  retryInitialMs: number;
  retryMaxMs: number;
  maxDeliver: number;
}

export interface TelemetrySettings {
  /**
   * Web origins (e.g. `http://my-app.local:3000`) whose pages may send OTLP from the browser (CORS), like an
   * OpenTelemetry Collector's `cors.allowed_origins`. Loopback origins are always allowed.
   */
  browserOrigins: string[];
}

export interface KindPortMapping {
  containerPort: number;
  hostPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  listenAddress?: string;
}

export interface KindSettings {
  clusterName: string;
  nodeImage: string;
  portMappings: KindPortMapping[];
  /** Directory of image archives (docker save) to load for offline use. */
  imageArchives?: string;
  /** Images of the user's own workloads, bundled by `kyma-local images save` beside the modules' images. */
  extraImages: string[];
  /** The local registry's image (default `registry:3`), e.g. a copy in a company mirror. */
  registryImage?: string;
}

/** A client of the local OIDC issuer (profile `spec.oidc.clients`). */
export interface OidcClient {
  id: string;
  secret: string;
  /** Scopes this client may ask for; empty = any. */
  scopes: string[];
  /** Audience put into tokens when the request names none. */
  audience?: string;
}

/** A user of the local OIDC issuer, for the password grant and `kyma-local token --user`. */
export interface OidcUser {
  name: string;
  password: string;
  email?: string;
  /** Scopes this user may be granted; empty = any. */
  scopes: string[];
}

/** The local OIDC issuer (the stand-in for Kyma's Dex), profile `spec.oidc`. */
export interface OidcSettings {
  /** The first client is the one `kyma-local token` issues for. */
  clients: OidcClient[];
  users: OidcUser[];
  /** Lifetime of issued tokens, seconds. */
  tokenTtlSeconds: number;
  /** How long a rotated-out signing key stays in the JWKS, seconds. */
  keyGraceSeconds: number;
}

export interface Profile {
  name: string;
  description: string;
  /** Absolute path of the YAML file this profile came from. */
  source: string;
  runtime: RuntimeKind;
  modules: ModuleName[];
  ports: ProfilePorts;
  limits: ProfileLimits;
  retention: ProfileRetention;
  eventing: EventingSettings;
  telemetry: TelemetrySettings;
  /** nats-server binary path; resolution order: this, then $KYMA_LOCAL_NATS_SERVER, then PATH. */
  natsServer?: string;
  kind?: KindSettings;
  /** spec.oidc; without it the issuer has the demo client and user (DEFAULT_OIDC). */
  oidc?: OidcSettings;
  /** runtime `kubernetes`: an existing cluster (for example a real Kyma cluster) to attach to. */
  kubernetes?: KubernetesSettings;
}

export interface KubernetesSettings {
  /** Absolute path of a kubeconfig; default $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** Default: the kubeconfig's current context. */
  context?: string;
}
