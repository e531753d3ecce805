// The one place the daemon names a runtime implementation: a profile's `spec.runtime` → a Runtime. Everything
// else in the daemon talks to the Runtime interface and its capabilities (core/runtime.ts).
import type { Logger } from '../model/index.js';
import type { Profile, RuntimeKind } from '../profiles/index.js';
import type { Runtime } from '../runtime.js';
import type { Store } from '../store/index.js';
import type { Telemetry } from '../telemetry/index.js';
import { join } from 'node:path';
import { ApiError, RESOURCE_TYPES } from '../model/index.js';
import { createEmbeddedRuntimeWithModules, embeddedPreflight, embeddedSetup, functionDependencyCacheKey } from '../embedded/index.js';
import type { DoctorCheck, UpPlan } from '../api/index.js';
import type { RuntimeStatus } from '../runtime.js';
import { DeferredRuntime } from './deferred-runtime.js';
import type { ImagesHost } from './routes/images.js';

type KindModule = typeof import('../kind/index.js');
let kindModule: Promise<KindModule> | undefined;
/** Loaded on first use: @kubernetes/client-node and dockerode are slow to import and unused by the embedded runtime. */
function loadKind(): Promise<KindModule> {
  kindModule ??= import('../kind/index.js');
  return kindModule;
}

export interface RuntimeDeps {
  /** The runtime's own state dir (inside the daemon's). */
  stateDir: string;
  /** `$KYMA_LOCAL_HOME/cache` (kind binary, module manifests). */
  cacheDir: string;
  store: Store;
  log: Logger;
  telemetry: Telemetry;
  /** A line a function replica printed (`worker` names function, revision and replica). */
  onWorkerLine?: (line: string, stream: 'stdout' | 'stderr', worker: string) => void;
}

export const DEFAULT_RUNTIME: RuntimeKind = 'embedded';

/** Builds the runtime a profile asks for; `profile` is only used to word the error of a runtime not built yet. */
export function createRuntime(kind: RuntimeKind, deps: RuntimeDeps, profile?: Profile): Runtime {
  switch (kind) {
    case 'embedded':
      return createEmbeddedRuntimeWithModules({ stateDir: deps.stateDir, store: deps.store, log: deps.log, telemetry: deps.telemetry, ...(deps.onWorkerLine ? { onWorkerLine: deps.onWorkerLine } : {}) });
    case 'kind':
    case 'kubernetes':
      return new DeferredRuntime(kind, deps.store, async () =>
        (await loadKind()).createKindRuntime({ stateDir: join(deps.stateDir, kind), cacheDir: deps.cacheDir, store: deps.store, types: RESOURCE_TYPES, log: deps.log.child({ runtime: kind, profile: profile?.name ?? '' }), telemetry: deps.telemetry, attach: kind === 'kubernetes' }),
      );
  }
}

/** The plan `up` would carry out for a profile, with its preflight, computed without changing anything. */
export async function planRuntime(profile: Profile, deps: Pick<RuntimeDeps, 'cacheDir'>): Promise<UpPlan> {
  const base = { runtime: profile.runtime, profile: profile.name };
  if (profile.runtime === 'embedded') return { ...base, text: `# embedded runtime: local processes for ${profile.modules.join(', ') || 'no modules'}; no Docker or Kubernetes needed\n`, checks: [] };
  const { connectCluster, kindPreflight, kindUpPlan, renderPlan } = await loadKind();
  switch (profile.runtime) {
    case 'kind': {
      let text: string;
      try {
        text = renderPlan(kindUpPlan(profile));
      } catch (err) {
        text = `# no plan: ${(err as Error).message}\n`;
      }
      return { ...base, text, checks: await kindPreflight({ profile, cacheDir: deps.cacheDir }) };
    }
    case 'kubernetes': {
      const target = profile.kubernetes ?? {};
      const text = `# attach to ${target.context ? `context ${target.context}` : 'the current context'} of ${target.kubeconfig ?? '$KUBECONFIG or ~/.kube/config'}: nothing is created or installed; the module CRs of ${profile.modules.join(', ')} are read and the daemon's resources are server-side applied (field manager kyma-local)\n`;
      let check: DoctorCheck;
      try {
        const { client, version } = await connectCluster(target);
        check = { name: 'cluster', status: 'ok', detail: `${client.server} (Kubernetes ${version})` };
      } catch (err) {
        check = { name: 'cluster', status: 'fail', detail: (err as Error).message };
      }
      return { ...base, text, checks: [check] };
    }
  }
}

/**
 * The runtime's lines of `kyma-local doctor` for `profile` (`cluster`: what runs now, whose own ports are not
 * "in use"). kind: Docker engine, its memory, kind binary, node image; kubernetes: the cluster answers.
 */
export async function runtimePreflight(profile: Profile, cluster: RuntimeStatus, deps: Pick<RuntimeDeps, 'cacheDir'>): Promise<DoctorCheck[]> {
  if (profile.runtime === 'embedded') return embeddedPreflight(profile, cluster);
  return (await planRuntime(profile, deps)).checks;
}

/** `kyma-local setup`: fetch what the profile's runtime would fetch on `up`, so a later `up` works offline. */
export async function setupRuntime(profile: Profile, onProgress: (message: string) => void, offline: boolean): Promise<string[]> {
  if (profile.runtime === 'embedded') return embeddedSetup(profile, onProgress, offline);
  throw new Error(
    profile.runtime === 'kind'
      ? `profile ${profile.name} uses the kind runtime: \`kyma-local up --profile ${profile.name}\` fetches the kind binary and module manifests into the cache; \`kyma-local images save --profile ${profile.name}\` prepares images for offline demos`
      : `profile ${profile.name} attaches to an existing cluster: there is nothing to fetch`,
  );
}

/** Snapshots carry the embedded runtime's npm dependency cache entries: the key of one Function's package.json. */
export { functionDependencyCacheKey };

/**
 * `kyma-local images list|save|load` for kind profiles: the kind module's image bundle over the daemon's Docker
 * engine (`DOCKER_HOST` as the daemon sees it). Loaded on first use, like the kind runtime.
 */
export function imagesHost(resolve: (ref: string | undefined) => Promise<Profile>, cacheDir: string): ImagesHost {
  // Images matter on kind only: without --profile, the last used profile if it is a kind one, else `kind`.
  const resolveProfile = async (ref: string | undefined): Promise<Profile> => {
    const profile = await resolve(ref);
    return ref === undefined && !profile.kind ? resolve('kind') : profile;
  };
  const withKind = async <R>(task: (kind: KindModule, docker: ReturnType<KindModule['dockerClient']>) => Promise<R>): Promise<R> => {
    const kind = await loadKind();
    try {
      return await task(kind, kind.dockerClient());
    } catch (err) {
      if (err instanceof kind.ImageBundleError) throw new ApiError(err.status, err.status === 503 ? 'ServiceUnavailable' : 'BadRequest', err.message);
      throw err;
    }
  };
  return {
    listImages: async (ref, archive, platform) => {
      const profile = await resolveProfile(ref);
      return withKind((kind, docker) => kind.listBundle(docker, profile, { cacheDir, ...(archive ? { archive } : {}), ...(platform ? { platform } : {}) }));
    },
    saveImages: async (req, onProgress) => {
      const profile = await resolveProfile(req.profile);
      return withKind((kind, docker) => kind.saveBundle(docker, profile, { cacheDir, offline: req.offline, onProgress, ...(req.file ? { file: req.file } : {}), ...(req.platform ? { platform: req.platform } : {}) }));
    },
    loadImages: async (req, onProgress) => {
      // The profile names the cluster whose nodes get the images when no registry runs, and the default archive.
      // An archive given by path loads even when the last used profile no longer does.
      const profile = await resolveProfile(req.profile).catch((err: unknown) => {
        if (req.file && !req.profile) return undefined;
        throw err;
      });
      return withKind(async (kind, docker) => {
        const cluster = profile?.kind?.clusterName;
        let file = req.file;
        if (!file) {
          if (!profile) throw new Error('no archive given and no profile to find it by — pass -i <file>');
          kind.bundleImages(profile);
          file = kind.defaultArchivePath(cacheDir, profile.name, kind.normalizePlatform(await kind.enginePlatform(docker)));
        }
        return kind.loadBundle(docker, { file, cacheDir, onProgress, ...(cluster ? { cluster } : {}) });
      });
    },
  };
}
