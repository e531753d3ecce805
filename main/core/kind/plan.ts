import { stringify } from 'yaml';
import type { Profile } from '../profiles/index.js';
import { kindClusterConfig, localRegistryHostingConfigMap, registryHostsFiles } from './kind-config.js';
import { crObject, installPlan, planImages, type InstallPlan } from './install-plan.js';
import { KIND_VERSION, REGISTRY_IMAGE } from './pins.js';
import { istioTracing } from './telemetry-bridge.js';

export interface KindUpPlan {
  kindVersion: string;
  clusterName: string;
  configYaml: string;
  install: InstallPlan;
  images: string[];
  /** Containers we run beside the cluster (the local registry). */
  helperImages: string[];
  extraObjects: Array<Record<string, unknown>>;
}

/** Everything `up --profile kind` would do, computed without touching Docker, kind or the network. */
export function kindUpPlan(profile: Pick<Profile, 'name' | 'modules' | 'kind' | 'limits'>): KindUpPlan {
  if (!profile.kind) throw new Error(`profile ${profile.name} has no spec.kind section`);
  const install = installPlan({ modules: profile.modules, eventStreamMaxBytes: profile.limits.eventStreamMaxBytes });
  const extraObjects: Array<Record<string, unknown>> = [localRegistryHostingConfigMap()];
  if (install.steps.some((s) => s.module === 'istio') && profile.modules.includes('telemetry')) extraObjects.push(istioTracing());
  return {
    kindVersion: KIND_VERSION,
    clusterName: profile.kind.clusterName,
    configYaml: stringify(kindClusterConfig(profile.kind)),
    install,
    images: planImages(install),
    helperImages: [REGISTRY_IMAGE],
    extraObjects,
  };
}

/** The plan as a reviewable text: kind config YAML, install steps with pinned manifests, CRs, images. */
export function renderPlan(plan: KindUpPlan): string {
  const out: string[] = [];
  out.push(`# kind ${plan.kindVersion}: cluster "${plan.clusterName}"`, '# kind create cluster --config - <<EOF', plan.configYaml.trimEnd(), '# EOF', '');
  out.push('# Local registry (kind-registry on network kind, 127.0.0.1:5001) and containerd mirrors written into each node:');
  for (const f of registryHostsFiles()) out.push(`#   ${f.path}: ${f.content.trim().replace(/\n+/g, ' | ')}`);
  out.push('', `# Modules, in install order (namespace ${plan.install.namespace}):`);
  plan.install.steps.forEach((s, i) => {
    out.push(`# ${i + 1}. ${s.module} ${s.version} (for ${s.neededBy.join(', ')})`);
    for (const b of s.before ?? []) out.push(`#    before: ${b}`);
    out.push(`#    manifest: ${s.manifestUrl}`);
    out.push(`#    wait: ${s.cr.kind} ${s.cr.namespace ? `${s.cr.namespace}/` : ''}${s.cr.name} status.state in [${s.cr.readyStates.join(', ')}]`);
    if (s.waitFor) out.push(`#    then wait for ${s.waitFor.kind} ${s.waitFor.name}`);
  });
  for (const s of plan.install.skipped) out.push(`# skipped: ${s.module} — ${s.reason}`);
  out.push('', '# Module CRs (laptop-sized overrides of the default CRs):');
  for (const s of plan.install.steps) out.push('---', stringify(crObject(s.cr)).trimEnd());
  if (plan.extraObjects.length > 0) {
    out.push('', '# Also applied:');
    for (const o of plan.extraObjects) out.push('---', stringify(o).trimEnd());
  }
  out.push(
    '',
    plan.install.steps.some((s) => s.module === 'telemetry')
      ? '# Telemetry to the daemon: once the telemetry module is Ready, a listener on the kind network\'s gateway IP only (token-guarded, see README "Security"), Secret kyma-system/kyma-local-telemetry-bridge with its token, and Trace/Log/MetricPipelines kyma-local (protocol http) pointing at it.'
      : '# Telemetry to the daemon: no telemetry module, so the Function pods\' log streams are followed (no traces or metrics).',
  );
  out.push('', `# Images (${plan.images.length}; \`kyma-local images save --profile kind\` bundles them):`);
  for (const img of [...plan.images, ...plan.helperImages]) out.push(`#   ${img}`);
  return out.join('\n') + '\n';
}
