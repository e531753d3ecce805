import type { KubeObject } from './model/index.js';
import type { ModuleName, Profile, RuntimeKind } from './profiles/index.js';
import type {
  ApiRuleView,
  ApplicationsResponse,
  ApplyOutcome,
  ComponentState,
  ComponentStatus,
  DebugOptions,
  DebugSession,
  EventQuery,
  EventSummary,
  EventWithAttempts,
  FunctionDetails,
  GatewayCallRequest,
  GatewayCallResponse,
  InspectorEntry,
  IssuerInfo,
  LegacyEventBody,
  MintedToken,
  MintRequest,
  ProgressEvent,
  PublishInput,
  PublishResult,
  ReplayOptions,
  ReplayResult,
  ResourceChange,
  RevisionRecord,
  RuntimePhase,
  RuntimeStatus,
  TryAnswer,
  TryRequest,
  ServiceSpecResponse,
} from './api/index.js';

/**
 * The interface both runtimes (embedded, kind) implement. The daemon holds exactly one Runtime and
 * talks to nothing else for cluster lifecycle.
 */
export type { ComponentState, ComponentStatus, ProgressEvent, RuntimePhase, RuntimeStatus };

export type ProgressListener = (ev: ProgressEvent) => void;

export type { ApplyOutcome, ResourceChange };

export interface UpOptions {
  /** Never download anything (e.g. nats-server); fail with what to put where instead. */
  offline?: boolean;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /** Brings the cluster up with `profile`; resolves when every enabled module is Ready, rejects with the reason otherwise. */
  up(profile: Profile, onProgress: ProgressListener, opts?: UpOptions): Promise<RuntimeStatus>;
  /** Stops every module and process; resolves when all children have exited. */
  down(onProgress?: ProgressListener): Promise<void>;
  status(): RuntimeStatus;
  /** Cleans up what a previous daemon left behind (e.g. orphaned processes); called once when the daemon starts. */
  prepare?(): Promise<void>;
  apply(obj: KubeObject): Promise<KubeObject>;
  delete(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void>;
  watch(listener: (change: ResourceChange) => void): () => void;
  /**
   * What this runtime offers beyond the lifecycle. A capability a runtime lacks is absent, and the daemon's
   * routes answer 501 naming the runtime; one it has but whose module is not running throws a 503 ApiError
   * from `get()`. New capabilities (gateway, catalog, applications, …) are added here, optional, the same way.
   */
  readonly capabilities: RuntimeCapabilities;
}

export interface RuntimeCapabilities {
  functions?: Capability<FunctionsCapability>;
  events?: Capability<EventsCapability>;
  dev?: DevLoopCapability;
  gateway?: Capability<GatewayCapability>;
  applications?: Capability<ApplicationsCapability>;
}

export type CapabilityName = keyof RuntimeCapabilities;

/** A capability whose API exists only while its module runs: `get()` returns it or throws a 503 ApiError saying why not. */
export interface Capability<T> {
  get(): T;
}

/** Where to reach a function the way in-cluster callers do. */
export interface FunctionUrl {
  /** e.g. http://127.0.0.1:41234 (the embedded mesh proxy) */
  url: string;
  /** The Host header to send, e.g. hello.default.svc.cluster.local */
  host: string;
  /**
   * Headers that mark the call as the daemon's own (`kyma-local invoke`, the dashboard's console): the mesh then
   * lets the caller's Origin through to the function, whose CORS answer is what the user is testing.
   */
  trustHeaders?: Record<string, string>;
}

/** Functions: details, revisions, rollback, and where to invoke them (serverless). */
export interface FunctionsCapability {
  list(): FunctionDetails[];
  details(namespace: string, name: string): FunctionDetails | undefined;
  /** Oldest first, at most the last 50. */
  revisions(namespace: string, name: string): RevisionRecord[];
  /**
   * Re-deploys the code (source + dependencies) of an earlier good revision as a new revision (recording
   * `rollbackOf`); default: the newest good revision before the one serving. Resolves with the new revision.
   */
  rollback(namespace: string, name: string, toRevision?: number): Promise<RevisionRecord>;
  functionUrl(namespace: string, name: string): FunctionUrl;
  /**
   * Where any in-cluster Service is reached the same way (a Function's, or a platform one such as
   * eventing-publisher-proxy.kyma-system): the Kubernetes API's `services/{name}/proxy` uses it. Undefined for a
   * service the runtime knows not to exist.
   */
  serviceUrl?(namespace: string, name: string): FunctionUrl | undefined;
  /**
   * Serves the function from one replica started with the Node inspector on 127.0.0.1:`port` (later saves keep
   * it); `undefined` returns to normal. Resolves once the new revision serves. Absent where a runtime cannot.
   */
  debug?(namespace: string, name: string, opts: DebugOptions | undefined): Promise<DebugSession | undefined>;
  debugSession?(namespace: string, name: string): DebugSession | undefined;
}

/**
 * Events: the inspector and publishing (eventing). Errors carry an HTTP-like status as ApiErrors (400 invalid
 * event, 404 unknown event/subscription, 502/504/507 backend) and a message saying what to fix.
 */
export interface EventsCapability {
  queryEvents(q?: EventQuery): EventSummary[];
  getEvent(id: string): EventWithAttempts | undefined;
  /** Live stream of new events and attempts. Returns the unsubscribe function. */
  subscribe(listener: (entry: InspectorEntry) => void): () => void;
  publish(ce: PublishInput): Promise<PublishResult>;
  /** Publishes like POST /<app>/v1/events; returns the event id. */
  publishLegacy(app: string, body: LegacyEventBody): Promise<PublishResult>;
  replay(id: string, opts?: ReplayOptions): Promise<ReplayResult>;
  /** Puts events recorded elsewhere (a snapshot) into the inspector; ids it already has are skipped. Returns how many were added. */
  importEvents(events: EventWithAttempts[]): number;
}

/**
 * Application connectivity: registered Applications with their gateway URLs and recent calls, calls through the
 * central application gateway, and the API/event specification catalog. Errors are ApiErrors (404 unknown
 * application or service, 502 when a specification cannot be fetched and none is cached).
 */
export interface ApplicationsCapability {
  applications(): ApplicationsResponse;
  call(app: string, req: GatewayCallRequest): Promise<GatewayCallResponse>;
  spec(app: string, service: string, opts?: { refresh?: boolean }): Promise<ServiceSpecResponse>;
}

/** The dev loop: how function folders' resources reach the cluster (create or update, like `kubectl apply`). */
export interface DevLoopCapability {
  apply(obj: KubeObject): Promise<{ outcome: ApplyOutcome; object: KubeObject }>;
}

/** The API gateway: APIRules as served (URL, curl line, state) and the local OIDC issuer. */
export interface GatewayCapability {
  url(): string;
  apiRules(): ApiRuleView[];
  issuer(): IssuerInfo;
  /** Rejects with an error whose message says what to fix (unknown user, scope not allowed, bad ttl). */
  mint(req: MintRequest): Promise<MintedToken>;
  rotate(): Promise<{ kid: string; retired: string[] }>;
  tryIt(namespace: string, name: string, req: TryRequest): Promise<TryAnswer>;
}

export type { ModuleName };
