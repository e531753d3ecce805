import type { KubeObject } from '../model/index.js';
import type { RuntimeKind } from '../profiles/index.js';
import type { ProgressListener, ResourceChange, Runtime, RuntimeCapabilities, RuntimeStatus } from '../runtime.js';
import { applyObject, deleteObject, watchObjects, type Store } from '../store/index.js';

/**
 * A runtime whose implementation is loaded on first `up`. The kind runtime pulls in @kubernetes/client-node and
 * dockerode, which take seconds to import on a busy laptop; a daemon that only ever runs the embedded runtime
 * should not pay for them at start. Resource writes go to the store on both runtimes, so they need no load.
 */
export class DeferredRuntime implements Runtime {
  private inner: Runtime | undefined;
  private loading: Promise<Runtime> | undefined;
  private readonly ownCapabilities: RuntimeCapabilities;

  constructor(
    readonly kind: RuntimeKind,
    private readonly store: Store,
    private readonly load: () => Promise<Runtime>,
  ) {
    this.ownCapabilities = { dev: { apply: (obj) => applyObject(store, obj) } };
  }

  /** The loaded runtime's (functions, events, …); before the first `up` only the dev loop, which needs no load. */
  get capabilities(): RuntimeCapabilities {
    return this.inner?.capabilities ?? this.ownCapabilities;
  }

  private async runtime(): Promise<Runtime> {
    this.loading ??= this.load().then((rt) => {
      this.inner = rt;
      return rt;
    });
    return this.loading;
  }

  async up(profile: Parameters<Runtime['up']>[0], onProgress: ProgressListener): Promise<RuntimeStatus> {
    return (await this.runtime()).up(profile, onProgress);
  }

  async down(onProgress?: ProgressListener): Promise<void> {
    await this.inner?.down(onProgress);
  }

  status(): RuntimeStatus {
    return this.inner?.status() ?? { runtime: this.kind, phase: 'Stopped', components: [] };
  }

  async apply(obj: KubeObject): Promise<KubeObject> {
    return (await applyObject(this.store, obj)).object;
  }

  async delete(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<void> {
    await deleteObject(this.store, obj);
  }

  watch(listener: (change: ResourceChange) => void): () => void {
    return watchObjects(this.store, listener);
  }
}
