import type { DoctorCheck } from '../api/index.js';
import type { ModuleName, Profile } from '../profiles/index.js';
import { dockerClient, dockerEndpoint, engineFacts, type EngineFacts } from './docker.js';
import { findKind, kindInstallHint } from './kind-binary.js';
import { NodeImageError, pinNodeImage } from './kind-config.js';
import { KIND_VERSION } from './pins.js';

export interface PreflightOptions {
  /** The profile's modules and kind settings; defaults to all modules and the pinned node image. */
  profile?: Pick<Profile, 'modules' | 'kind'>;
  /** `$KYMA_LOCAL_HOME/cache`, where a downloaded kind binary lives. */
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the engine before calling it unreachable. */
  dockerTimeoutMs?: number;
}

const GiB = 1024 ** 3;

/**
 * Rough memory each module's pods take on one node, from community measurements (local-kyma PR #73: about
 * 5.2 GB used for a full install, 8 GB recommended) — enough to warn, not to plan capacity.
 */
const MODULE_MEM_GIB: Record<ModuleName, number> = { 'api-gateway': 2, eventing: 0.8, serverless: 0.6, telemetry: 0.8, 'application-connector': 0.3, 'btp-operator': 0.2 };
const CLUSTER_BASE_GIB = 1.5;

export function memoryNeededGiB(modules: readonly ModuleName[]): number {
  return CLUSTER_BASE_GIB + modules.reduce((sum, m) => sum + MODULE_MEM_GIB[m], 0);
}

export function dockerFix(err: Error & { code?: string }, env: NodeJS.ProcessEnv): string {
  if (err.code === 'EACCES' || /permission denied/i.test(err.message)) {
    return 'your user may not use the Docker socket: add it to the "docker" group (`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker';
  }
  const where = env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST} is set — check it points at a running engine, or unset it` : 'start Docker (Docker Desktop, or `sudo systemctl start docker` on Linux)';
  return `${where}; the kind runtime needs a running Docker engine`;
}

async function dockerChecks(opts: PreflightOptions, env: NodeJS.ProcessEnv): Promise<{ checks: DoctorCheck[]; facts?: EngineFacts }> {
  const endpoint = dockerEndpoint(env);
  let facts: EngineFacts;
  try {
    facts = await engineFacts(dockerClient({ env, timeoutMs: opts.dockerTimeoutMs ?? 3000 }));
  } catch (e) {
    const err = e as Error & { code?: string };
    return { checks: [{ name: 'Docker engine', status: 'fail', detail: `not reachable at ${endpoint}: ${err.message}`, fix: dockerFix(err, env) }] };
  }
  const checks: DoctorCheck[] = [{ name: 'Docker engine', status: 'ok', detail: `Docker ${facts.version} at ${endpoint} (${facts.os}, ${facts.arch})` }];
  const modules = opts.profile?.modules ?? ['serverless', 'eventing', 'api-gateway', 'telemetry'];
  const need = Math.max(8, Math.ceil(memoryNeededGiB(modules)));
  const have = facts.memBytes / GiB;
  checks.push(
    have >= need - 0.5
      ? { name: 'Docker memory', status: 'ok', detail: `${have.toFixed(1)} GiB available to Docker (about ${need} GiB recommended for ${modules.join(', ')})` }
      : { name: 'Docker memory', status: 'warn', detail: `${have.toFixed(1)} GiB available to Docker; about ${need} GiB recommended for ${modules.join(', ')}`, fix: 'give Docker more memory (Docker Desktop → Settings → Resources), or choose fewer modules in the profile' },
  );
  checks.push(
    facts.cpus >= 4
      ? { name: 'Docker CPUs', status: 'ok', detail: `${facts.cpus} CPUs` }
      : { name: 'Docker CPUs', status: 'warn', detail: `${facts.cpus} CPUs; 4 recommended`, fix: 'give Docker more CPUs; with fewer, module installs take longer and Istio may time out' },
  );
  const nodeImage = opts.profile?.kind?.nodeImage;
  const wantsCgroup2 = /:v1\.(3[5-9]|[4-9][0-9])/.test(nodeImage ?? '');
  if (facts.cgroupVersion === '2') checks.push({ name: 'cgroup version', status: 'ok', detail: 'cgroup v2' });
  else if (wantsCgroup2) {
    checks.push({ name: 'cgroup version', status: 'fail', detail: `cgroup v${facts.cgroupVersion}; kind ${KIND_VERSION} supports Kubernetes 1.35+ on cgroup v2 only`, fix: 'use a v1.34 node image (kindest/node:v1.34.3) or switch the host to cgroup v2' });
  } else {
    checks.push({ name: 'cgroup version', status: 'warn', detail: `cgroup v${facts.cgroupVersion}`, fix: 'cgroup v1 is deprecated by Kubernetes; prefer a host with cgroup v2' });
  }
  return { checks, facts };
}

function kindCheck(opts: PreflightOptions, env: NodeJS.ProcessEnv): DoctorCheck {
  const found = findKind(opts.cacheDir, env);
  if (found) return { name: 'kind', status: 'ok', detail: `${found.path} (${found.source === 'cache' ? 'cached download' : found.source === 'env' ? '$KYMA_LOCAL_KIND' : 'on PATH'})` };
  // Not a failure yet: `up` downloads the pinned release (and fails then, naming how to get kind, when offline).
  return { name: 'kind', status: 'warn', detail: 'no kind binary on PATH, in $KYMA_LOCAL_KIND or in the cache', fix: `\`kyma-local up --profile kind\` downloads kind ${KIND_VERSION} and verifies its checksum when online; otherwise ${kindInstallHint(opts.cacheDir)}` };
}

function nodeImageCheck(opts: PreflightOptions): DoctorCheck {
  try {
    return { name: 'kind node image', status: 'ok', detail: pinNodeImage(opts.profile?.kind?.nodeImage) };
  } catch (err) {
    if (err instanceof NodeImageError) return { name: 'kind node image', status: 'fail', detail: err.message, fix: 'set spec.kind.nodeImage in the profile to a pinned image' };
    throw err;
  }
}

/** Everything the kind runtime needs before it creates anything. Never throws; each failure names its fix. */
export async function kindPreflight(opts: PreflightOptions): Promise<DoctorCheck[]> {
  const env = opts.env ?? process.env;
  const { checks } = await dockerChecks(opts, env);
  return [...checks, kindCheck(opts, env), nodeImageCheck(opts)];
}

/** One message for every failed check, for errors thrown by `up`. */
export function preflightFailure(checks: readonly DoctorCheck[]): string | undefined {
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length === 0) return undefined;
  return failed.map((c) => `${c.name}: ${c.detail}${c.fix ? ` — ${c.fix}` : ''}`).join('; ');
}
