import type { ModuleName } from '../profiles/index.js';
import { MODULE_IMAGES, MODULE_RELEASES, releaseAssetUrl, type InstallableModule } from './pins.js';

/** The Kyma module CR we create (laptop-sized) and how we know it is done. */
export interface ModuleCr {
  apiVersion: string;
  kind: string;
  /** Plural for the REST path (`/apis/<group>/<version>/namespaces/kyma-system/<plural>/<name>`). */
  plural: string;
  name: string;
  /** Cluster-scoped CRs (APIGateway) have none. */
  namespace?: string;
  spec: Record<string, unknown>;
  /** `status.state` values that count as done. Telemetry has no Processing and may sit in Warning. */
  readyStates: string[];
}

export interface ModuleInstallStep {
  /** The Kyma module as the operator names it (istio and nats are dependencies, not profile modules). */
  module: InstallableModule;
  /** Which profile modules made this step necessary. */
  neededBy: ModuleName[];
  version: string;
  manifestUrl: string;
  manifestFile: string;
  cr: ModuleCr;
  /** Done before the manifest, e.g. labelling kyma-system for sidecar injection. */
  before?: string[];
  /** Waited for after the CR is Ready, e.g. Istio's sidecar injector webhook. */
  waitFor?: { apiVersion: string; kind: string; name: string };
  images: readonly string[];
}

export interface InstallPlan {
  namespace: 'kyma-system';
  steps: ModuleInstallStep[];
  /** Profile modules that cannot be installed from a release manifest, with the reason. */
  skipped: Array<{ module: ModuleName; reason: string }>;
}

const NS = 'kyma-system';
const OP = 'operator.kyma-project.io';

/** Kyma's documented order: Istio → API Gateway → NATS → Eventing → Serverless → Telemetry. */
const ORDER: InstallableModule[] = ['istio', 'api-gateway', 'nats', 'eventing', 'serverless', 'telemetry'];

/** What each profile module needs installed (its own operator plus its dependencies). */
const NEEDS: Record<ModuleName, InstallableModule[]> = {
  serverless: ['serverless'],
  eventing: ['nats', 'eventing'],
  'api-gateway': ['istio', 'api-gateway'],
  telemetry: ['telemetry'],
  'application-connector': [],
  'btp-operator': [],
};

/**
 * Laptop-sized CRs. Upstream defaults assume a production cluster: NATS with three replicas, Eventing without
 * a backend (the CR then sits in Warning), three stream replicas. These are the overrides.
 */
function crFor(module: InstallableModule, eventStreamMaxBytes: number): ModuleCr {
  switch (module) {
    case 'istio':
      return { apiVersion: `${OP}/v1alpha2`, kind: 'Istio', plural: 'istios', name: 'default', namespace: NS, spec: {}, readyStates: ['Ready'] };
    case 'api-gateway':
      return { apiVersion: `${OP}/v1alpha1`, kind: 'APIGateway', plural: 'apigateways', name: 'default', spec: { enableKymaGateway: true }, readyStates: ['Ready'] };
    case 'nats':
      return {
        apiVersion: `${OP}/v1alpha1`,
        kind: 'NATS',
        plural: 'nats',
        name: 'eventing-nats',
        namespace: NS,
        spec: { cluster: { size: 1 }, jetStream: { fileStorage: { size: '1Gi', storageClassName: 'default' }, memStorage: { enabled: true, size: '256Mi' } } },
        readyStates: ['Ready'],
      };
    case 'eventing':
      return {
        apiVersion: `${OP}/v1alpha1`,
        kind: 'Eventing',
        plural: 'eventings',
        name: 'eventing',
        namespace: NS,
        spec: { backend: { type: 'NATS', config: { natsStreamReplicas: 1, natsStreamStorageType: 'File', natsStreamMaxSize: quantity(eventStreamMaxBytes), eventTypePrefix: 'sap.kyma.custom' } } },
        readyStates: ['Ready'],
      };
    case 'serverless':
      return { apiVersion: `${OP}/v1alpha1`, kind: 'Serverless', plural: 'serverlesses', name: 'default', namespace: NS, spec: {}, readyStates: ['Ready'] };
    case 'telemetry':
      return { apiVersion: `${OP}/v1beta1`, kind: 'Telemetry', plural: 'telemetries', name: 'default', namespace: NS, spec: {}, readyStates: ['Ready', 'Warning'] };
  }
}

function quantity(bytes: number): string {
  const mi = Math.max(1, Math.round(bytes / (1024 * 1024)));
  return `${mi}Mi`;
}

export interface PlanInput {
  modules: readonly ModuleName[];
  eventStreamMaxBytes: number;
}

export function installPlan(input: PlanInput): InstallPlan {
  const needed = new Map<InstallableModule, ModuleName[]>();
  for (const m of input.modules) {
    for (const dep of NEEDS[m]) needed.set(dep, [...(needed.get(dep) ?? []), m]);
  }
  const steps: ModuleInstallStep[] = [];
  for (const module of ORDER) {
    const neededBy = needed.get(module);
    if (!neededBy) continue;
    const rel = MODULE_RELEASES[module];
    const step: ModuleInstallStep = {
      module,
      neededBy,
      version: rel.tag,
      manifestUrl: releaseAssetUrl(rel, rel.manifest),
      manifestFile: `${rel.repo}-${rel.tag}-${rel.manifest}`,
      cr: crFor(module, input.eventStreamMaxBytes),
      images: MODULE_IMAGES[module],
    };
    if (module === 'istio') {
      step.before = [`label namespace ${NS} istio-injection=enabled`];
      step.waitFor = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: 'istio-sidecar-injector' };
    }
    steps.push(step);
  }
  const skipped: InstallPlan['skipped'] = [];
  if (input.modules.includes('application-connector')) {
    skipped.push({
      module: 'application-connector',
      reason: 'application-connector-manager publishes no release manifest; render one with `make render-manifest` in kyma-project/application-connector-manager and apply it yourself',
    });
  }
  if (input.modules.includes('btp-operator')) {
    skipped.push({
      module: 'btp-operator',
      reason: 'the SAP BTP service operator provisions services in a BTP subaccount (it needs its credentials); the local OSB catalog runs on the embedded runtime only — install the operator with its Helm chart against your subaccount',
    });
  }
  return { namespace: NS, steps, skipped };
}

/** Every image the plan's modules run, plus the function runtimes, deduplicated and sorted. */
export function planImages(plan: InstallPlan): string[] {
  return [...new Set(plan.steps.flatMap((s) => s.images))].sort();
}

/** The CR as a Kubernetes object, ready for server-side apply. */
export function crObject(cr: ModuleCr): Record<string, unknown> {
  return {
    apiVersion: cr.apiVersion,
    kind: cr.kind,
    metadata: { name: cr.name, ...(cr.namespace ? { namespace: cr.namespace } : {}) },
    spec: cr.spec,
  };
}

/**
 * Images referenced by a downloaded manifest: container `image:` fields and env values that look like image
 * references (the operators pass the images they deploy that way). Replaces the pinned list once cached.
 */
export function imagesInManifest(text: string): string[] {
  const out = new Set<string>();
  const re = /^\s*(?:-\s+)?(?:image|value):\s*["']?([a-z0-9.-]+(?::[0-9]+)?\/[a-z0-9._/-]+(?::[A-Za-z0-9._-]+)?(?:@sha256:[0-9a-f]{64})?)["']?\s*$/gm;
  for (const m of text.matchAll(re)) {
    const ref = m[1]!;
    if (/[:@]/.test(ref.split('/').pop() ?? '')) out.add(ref);
  }
  return [...out].sort();
}
