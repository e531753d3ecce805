import { ApiException, KubeConfig, KubernetesObjectApi, VersionApi, PatchStrategy, Watch, makeInformer, type KubernetesObject, type KubernetesListObject } from '@kubernetes/client-node';

export const FIELD_MANAGER = 'kyma-local';

/** A Kubernetes object as client-node sees it, with whatever spec/status it carries. */
export type KubeObjectLike = KubernetesObject & { spec?: unknown; status?: Record<string, unknown> };

export interface KubeClientOptions {
  kubeconfigPath?: string;
  kubeconfigYaml?: string;
  /** Defaults to the kubeconfig's current context. */
  context?: string;
  fieldManager?: string;
}

export function loadKubeConfig(opts: KubeClientOptions): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfigYaml !== undefined) kc.loadFromString(opts.kubeconfigYaml);
  else if (opts.kubeconfigPath) kc.loadFromFile(opts.kubeconfigPath);
  else kc.loadFromDefault();
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) {
      throw new Error(`kubeconfig has no context "${opts.context}" — available: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}`);
    }
    kc.setCurrentContext(opts.context);
  }
  return loopbackHttp(kc);
}

/**
 * client-node refuses plain http unless skipTLSVerify is set. A loopback http server (the daemon's own API)
 * has no TLS to verify, so for those clusters the flag is set and credentials in the URL move to the user;
 * every other server is left exactly as configured.
 */
function loopbackHttp(kc: KubeConfig): KubeConfig {
  let changed = false;
  const clusters = kc.clusters.map((c) => {
    const url = new URL(c.server);
    if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return c;
    changed = true;
    url.username = '';
    url.password = '';
    return { ...c, server: url.toString().replace(/\/$/, ''), skipTLSVerify: true };
  });
  if (!changed) return kc;
  const out = new KubeConfig();
  out.loadFromOptions({ clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  return out;
}

function code(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

/** The REST collection path of a group/version/plural (namespaced when `namespace` is given). */
export function collectionPath(apiVersion: string, plural: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
}

/**
 * What the kind runtime (and the attach-to-cluster path) needs from a cluster: server-side apply under one
 * field manager, get, delete, and watches. The same code talks to a kind cluster, a real Kyma cluster and
 * the daemon's own Kubernetes-shaped API.
 */
export class KubeClient {
  readonly config: KubeConfig;
  private readonly objects: KubernetesObjectApi;
  private readonly fieldManager: string;

  constructor(opts: KubeClientOptions) {
    this.config = loadKubeConfig(opts);
    this.objects = KubernetesObjectApi.makeApiClient(this.config);
    this.fieldManager = opts.fieldManager ?? FIELD_MANAGER;
  }

  get server(): string {
    return this.config.getCurrentCluster()?.server ?? '';
  }

  /** The server's Kubernetes version (`GET /version`), which also proves the credentials work. */
  async serverVersion(): Promise<string> {
    const v = await this.config.makeApiClient(VersionApi).getCode();
    return v.gitVersion;
  }

  /** Server-side apply; `force` takes fields over from other managers (we are the source of truth for ours). */
  async apply<T extends KubeObjectLike>(obj: T, opts: { force?: boolean; dryRun?: boolean } = {}): Promise<T> {
    return this.objects.patch(obj, undefined, opts.dryRun ? 'All' : undefined, this.fieldManager, opts.force ?? true, PatchStrategy.ServerSideApply);
  }

  /** Undefined when the object does not exist. */
  async get<T extends KubeObjectLike>(ref: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<T | undefined> {
    try {
      return (await this.objects.read(ref as never)) as T;
    } catch (err) {
      if (code(err) === 404) return undefined;
      throw err;
    }
  }

  async list<T extends KubeObjectLike>(apiVersion: string, kind: string, namespace?: string): Promise<T[]> {
    const list = (await this.objects.list(apiVersion, kind, namespace)) as KubernetesListObject<T>;
    return list.items;
  }

  /** Idempotent: a missing object is not an error. */
  async delete(ref: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<boolean> {
    try {
      await this.objects.delete(ref as KubernetesObject);
      return true;
    } catch (err) {
      if (code(err) === 404) return false;
      throw err;
    }
  }

  /** A client-node informer on one collection (list, then watch, re-listing after a dropped watch). */
  informer<T extends KubeObjectLike>(apiVersion: string, kind: string, plural: string, namespace?: string): ReturnType<typeof makeInformer<T>> {
    const path = collectionPath(apiVersion, plural, namespace);
    const list = async (): Promise<KubernetesListObject<T>> => (await this.objects.list(apiVersion, kind, namespace)) as KubernetesListObject<T>;
    return makeInformer<T>(this.config, path, list);
  }

  /** A raw watch (ADDED/MODIFIED/DELETED); returns the function that stops it. */
  async watch(path: string, query: Record<string, string>, onEvent: (type: string, obj: KubeObjectLike) => void, onDone: (err?: unknown) => void): Promise<() => void> {
    const ctrl = await new Watch(this.config).watch(path, query, (type, obj: KubeObjectLike) => onEvent(type, obj), (err: unknown) => onDone(err ?? undefined));
    return () => ctrl.abort();
  }
}

export interface WaitOptions {
  /** `status.state` values that end the wait successfully. */
  readyStates: readonly string[];
  timeoutMs: number;
  onState?: (state: string | undefined, message: string | undefined) => void;
}

/**
 * Waits for a CR's `status.state` through an informer (no polling). Rejects on timeout with the last state and
 * the CR's message (Kyma CRs put the reason for Warning/Error in `status.conditions[].message`).
 */
export async function waitForState(client: KubeClient, cr: { apiVersion: string; kind: string; plural: string; name: string; namespace?: string }, opts: WaitOptions): Promise<KubeObjectLike> {
  const informer = client.informer<KubeObjectLike>(cr.apiVersion, cr.kind, cr.plural, cr.namespace);
  let last: { state?: string; message?: string } = {};
  try {
    return await new Promise<KubeObjectLike>((resolve, reject) => {
      const timer = setTimeout(() => {
        const msg = last.message ? `: ${last.message}` : '';
        reject(new Error(`${cr.kind} ${cr.name} is not ${opts.readyStates.join(' or ')} after ${Math.round(opts.timeoutMs / 1000)} s (state ${last.state ?? 'unset'}${msg})`));
      }, opts.timeoutMs);
      const check = (obj: KubeObjectLike): void => {
        if (obj.metadata?.name !== cr.name) return;
        const state = typeof obj.status?.state === 'string' ? obj.status.state : undefined;
        const message = stateMessage(obj);
        if (state !== last.state || message !== last.message) opts.onState?.(state, message);
        last = { ...(state !== undefined ? { state } : {}), ...(message !== undefined ? { message } : {}) };
        if (state && opts.readyStates.includes(state)) {
          clearTimeout(timer);
          resolve(obj);
        }
      };
      informer.on('add', check);
      informer.on('update', check);
      informer.on('error', () => {
        // The informer re-lists and re-watches by itself after an error; only the timeout ends the wait.
        setTimeout(() => void informer.start().catch(() => undefined), 1000);
      });
      informer.start().catch((err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  } finally {
    await informer.stop();
  }
}

/** The human part of a Kyma CR's status: the first non-empty condition message, else `status.description`. */
export function stateMessage(obj: KubeObjectLike): string | undefined {
  const conditions = Array.isArray(obj.status?.conditions) ? (obj.status.conditions as Array<{ message?: unknown }>) : [];
  const msg = conditions.map((c) => c.message).find((m): m is string => typeof m === 'string' && m !== '');
  if (msg) return msg;
  return typeof obj.status?.description === 'string' ? obj.status.description : undefined;
}
