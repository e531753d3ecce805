/**
 * Every version the kind runtime pins: the kind binary, its node images (tag@digest from the release notes),
 * the Kyma module releases and the images they run. One place, so `up --dry-run` and `images list` show
 * exactly what `up` uses, and an upgrade is one reviewed diff.
 */

/** kind v0.31.0 (2025-12-17): its release notes list digests for every node image below. */
export const KIND_VERSION = 'v0.31.0';

/** Node images built for KIND_VERSION (https://github.com/kubernetes-sigs/kind/releases/tag/v0.31.0). */
export const NODE_IMAGES: Readonly<Record<string, string>> = {
  'v1.35.0': 'sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f',
  'v1.34.3': 'sha256:08497ee19eace7b4b5348db5c6a1591d7752b164530a36f855cb0f2bdcbadd48',
  'v1.33.7': 'sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040',
  'v1.32.11': 'sha256:5fc52d52a7b9574015299724bd68f183702956aa4a2116ae75a63cb574b35af8',
  'v1.31.14': 'sha256:6f86cf509dbb42767b6e79debc3f2c32e4ee01386f0489b3b2be24b0a55aac2b',
};

/** v1.34 rather than v1.35: kind v0.31 dropped cgroup v1 for Kubernetes 1.35+, and some laptops still run v1. */
export const DEFAULT_NODE_VERSION = 'v1.34.3';

export const NODE_IMAGE_REPO = 'kindest/node';

/** Where kind's binaries are published; `<asset>.sha256sum` sits beside each (`<hex>  kind-<os>-<arch>`). */
export function kindDownloadUrl(os: string, arch: string, version = KIND_VERSION): string {
  return `https://github.com/kubernetes-sigs/kind/releases/download/${version}/${kindAssetName(os, arch)}`;
}

/** kind's release asset name; the Windows asset has no `.exe` suffix. */
export function kindAssetName(os: string, arch: string): string {
  return `kind-${os}-${arch}`;
}

/** The Kyma modules we can install from a release manifest, keyed by their GitHub repository. */
export interface ModuleRelease {
  repo: string;
  tag: string;
  /** Operator manifest asset. */
  manifest: string;
  /** Default CR asset (we apply our own laptop-sized CR built from it). */
  defaultCr: string;
}

export const MODULE_RELEASES = {
  istio: { repo: 'istio', tag: '1.30.0', manifest: 'istio-manager.yaml', defaultCr: 'istio-default-cr.yaml' },
  'api-gateway': { repo: 'api-gateway', tag: '3.10.0', manifest: 'api-gateway-manager.yaml', defaultCr: 'apigateway-default-cr.yaml' },
  nats: { repo: 'nats-manager', tag: '1.6.4', manifest: 'nats-manager.yaml', defaultCr: 'nats-default-cr.yaml' },
  eventing: { repo: 'eventing-manager', tag: '1.6.3', manifest: 'eventing-manager.yaml', defaultCr: 'eventing-default-cr.yaml' },
  serverless: { repo: 'serverless', tag: '1.13.0', manifest: 'serverless-operator.yaml', defaultCr: 'default-serverless-cr.yaml' },
  telemetry: { repo: 'telemetry-manager', tag: '1.69.0', manifest: 'telemetry-manager.yaml', defaultCr: 'telemetry-default-cr.yaml' },
} as const satisfies Record<string, ModuleRelease>;

export type InstallableModule = keyof typeof MODULE_RELEASES;

/** Pinned by tag, never `latest`, so two users get the same cluster. */
export function releaseAssetUrl(rel: ModuleRelease, asset: string): string {
  return `https://github.com/kyma-project/${rel.repo}/releases/download/${rel.tag}/${asset}`;
}

const PROD = 'europe-docker.pkg.dev/kyma-project/prod';

/**
 * Images each module's pods run (for offline bundles and the registry mirror). Managers carry their
 * module's release tag; the rest are the tags those releases reference.
 */
export const MODULE_IMAGES: Readonly<Record<InstallableModule, readonly string[]>> = {
  istio: [
    `${PROD}/istio/istio-manager:${MODULE_RELEASES.istio.tag}`,
    `${PROD}/external/istio/pilot:1.30.2-distroless`,
    `${PROD}/external/istio/proxyv2:1.30.2-distroless`,
    `${PROD}/external/istio/install-cni:1.30.2-distroless`,
    `${PROD}/external/istio/ztunnel:1.30.2-distroless`,
  ],
  'api-gateway': [
    `${PROD}/api-gateway-manager:${MODULE_RELEASES['api-gateway'].tag}`,
    `${PROD}/external/oryd/oathkeeper:v0.38.25-beta.1`,
    `${PROD}/external/oryd/oathkeeper-maester:v0.1.5`,
    `${PROD}/external/busybox:1.37.0`,
  ],
  nats: [
    `${PROD}/nats-manager:${MODULE_RELEASES.nats.tag}`,
    `${PROD}/external/library/nats:2.14.2-scratch`,
    `${PROD}/external/natsio/nats-server-config-reloader:0.23.0`,
    `${PROD}/external/natsio/prometheus-nats-exporter:0.20.1`,
  ],
  eventing: [`${PROD}/eventing-manager:${MODULE_RELEASES.eventing.tag}`, `${PROD}/eventing-publisher-proxy:1.3.1`],
  serverless: [
    `${PROD}/serverless-operator:${MODULE_RELEASES.serverless.tag}`,
    `${PROD}/function-buildless-controller:${MODULE_RELEASES.serverless.tag}`,
    `${PROD}/function-buildless-init:${MODULE_RELEASES.serverless.tag}`,
    `${PROD}/function-runtime-nodejs22:${MODULE_RELEASES.serverless.tag}`,
    `${PROD}/function-runtime-nodejs24:${MODULE_RELEASES.serverless.tag}`,
    `${PROD}/function-runtime-python312:${MODULE_RELEASES.serverless.tag}`,
  ],
  telemetry: [
    `${PROD}/telemetry-manager:${MODULE_RELEASES.telemetry.tag}`,
    `${PROD}/kyma-otel-collector:${MODULE_RELEASES.telemetry.tag}`,
    `${PROD}/external/fluent/fluent-bit:5.1.0`,
    `${PROD}/directory-size-exporter:${MODULE_RELEASES.telemetry.tag}`,
    `${PROD}/tpi/telemetry-self-monitor:${MODULE_RELEASES.telemetry.tag}`,
  ],
};

/** The local registry (kind's recipe), a container on network `kind`. */
export const REGISTRY_IMAGE = 'registry:3';
export const REGISTRY_CONTAINER = 'kind-registry';
export const REGISTRY_HOST_PORT = 5001;

/** Registries the modules pull from; each gets a containerd mirror entry pointing at the local registry. */
export const MIRRORED_REGISTRIES = ['europe-docker.pkg.dev', 'docker.io'] as const;
