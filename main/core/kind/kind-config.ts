import { stringify } from 'yaml';
import type { KindSettings } from '../profiles/index.js';
import { DEFAULT_NODE_VERSION, KIND_VERSION, MIRRORED_REGISTRIES, NODE_IMAGE_REPO, NODE_IMAGES, REGISTRY_CONTAINER, REGISTRY_HOST_PORT } from './pins.js';

/** kind's cluster config (kind.x-k8s.io/v1alpha4), only the fields we set. */
export interface KindClusterConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  nodes: Array<{
    role: 'control-plane';
    image: string;
    extraPortMappings?: Array<{ containerPort: number; hostPort: number; protocol: string; listenAddress: string }>;
  }>;
  networking: { apiServerAddress: string; apiServerPort: number };
  containerdConfigPatches: string[];
}

export class NodeImageError extends Error {}

/**
 * A node image as `repo:tag@sha256:…`. A bare tag is pinned from kind's release table; an unknown tag is an
 * error, because kind's release notes say images must be pinned by digest and must match the kind version.
 */
export function pinNodeImage(image: string | undefined): string {
  const ref = image && image.trim() !== '' ? image.trim() : `${NODE_IMAGE_REPO}:${DEFAULT_NODE_VERSION}`;
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return ref;
  const m = /^(?<repo>[^@]+):(?<tag>v[0-9][^:@/]*)$/.exec(ref);
  const digest = m?.groups?.repo === NODE_IMAGE_REPO ? NODE_IMAGES[m.groups.tag!] : undefined;
  if (!digest) {
    const known = Object.keys(NODE_IMAGES).map((t) => `${NODE_IMAGE_REPO}:${t}`).join(', ');
    throw new NodeImageError(
      `spec.kind.nodeImage "${ref}" is not pinned by digest and is not one of kind ${KIND_VERSION}'s node images — use one of ${known}, or give "<image>:<tag>@sha256:<digest>" from kind's release notes`,
    );
  }
  return `${ref}@${digest}`;
}

/**
 * Single node on purpose: extra kind nodes add no capacity on one laptop and break after restarts (kind#1685).
 * The API server stays on 127.0.0.1 with a port kind picks once at create time.
 */
export function kindClusterConfig(settings: KindSettings, nodeImage?: string): KindClusterConfig {
  const node: KindClusterConfig['nodes'][number] = { role: 'control-plane', image: nodeImage ?? pinNodeImage(settings.nodeImage) };
  if (settings.portMappings.length > 0) {
    node.extraPortMappings = settings.portMappings.map((p) => ({
      containerPort: p.containerPort,
      hostPort: p.hostPort,
      protocol: p.protocol,
      // Loopback unless the profile says otherwise: the ingress should not be reachable from the LAN by default.
      listenAddress: p.listenAddress ?? '127.0.0.1',
    }));
  }
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: settings.clusterName,
    nodes: [node],
    networking: { apiServerAddress: '127.0.0.1', apiServerPort: 0 },
    // The default since kind v0.27, stated anyway so hosts.toml mirrors work with any node image.
    containerdConfigPatches: ['[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n'],
  };
}

/** `nodeImage` overrides the pin (resolveNodeImage: the verified plain tag after `images load`). */
export function kindConfigYaml(settings: KindSettings, nodeImage?: string): string {
  return stringify(kindClusterConfig(settings, nodeImage));
}

/**
 * containerd `hosts.toml` files written into each node (kind's local-registry recipe): the local registry
 * answers as `localhost:5001`, and mirrors every registry the modules pull from, so pulls keep working
 * offline and with `imagePullPolicy: Always`. Falls through to the upstream when the mirror lacks an image.
 */
export function registryHostsFiles(): Array<{ path: string; content: string }> {
  const local = `http://${REGISTRY_CONTAINER}:5000`;
  const files = [{ path: `/etc/containerd/certs.d/localhost:${REGISTRY_HOST_PORT}/hosts.toml`, content: `[host."${local}"]\n` }];
  for (const reg of MIRRORED_REGISTRIES) {
    const upstream = reg === 'docker.io' ? 'https://registry-1.docker.io' : `https://${reg}`;
    files.push({
      path: `/etc/containerd/certs.d/${reg}/hosts.toml`,
      content: `server = "${upstream}"\n\n[host."${local}"]\n  capabilities = ["pull", "resolve"]\n`,
    });
  }
  return files;
}

/** KEP-1755's ConfigMap that tells tools where the cluster's local registry is. */
export function localRegistryHostingConfigMap(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
    data: { 'localRegistryHosting.v1': `host: "localhost:${REGISTRY_HOST_PORT}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n` },
  };
}
