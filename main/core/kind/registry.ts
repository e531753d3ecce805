import type Docker from 'dockerode';
import { execIn, nodeContainers } from './docker.js';
import { registryHostsFiles } from './kind-config.js';
import { REGISTRY_CONTAINER, REGISTRY_HOST_PORT, REGISTRY_IMAGE } from './pins.js';

export interface RegistryOptions {
  name?: string;
  image?: string;
  /** Host port on 127.0.0.1 (kind's recipe: 5001). */
  hostPort?: number;
  /** The network the kind nodes are on. */
  network?: string;
}

export interface RegistryState {
  id: string;
  name: string;
  created: boolean;
  started: boolean;
  connected: boolean;
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/**
 * kind's local-registry recipe with dockerode: a `registry` container restarted always, published on
 * 127.0.0.1 only, then attached to network `kind` so nodes reach it as `kind-registry:5000`. Idempotent:
 * an existing container is started and connected, never recreated (its images are the offline cache).
 */
export async function ensureRegistry(docker: Docker, opts: RegistryOptions = {}): Promise<RegistryState> {
  const name = opts.name ?? REGISTRY_CONTAINER;
  const image = opts.image ?? REGISTRY_IMAGE;
  const hostPort = opts.hostPort ?? REGISTRY_HOST_PORT;
  const network = opts.network ?? 'kind';
  let created = false;
  let started = false;
  let container = docker.getContainer(name);
  let info: Docker.ContainerInspectInfo;
  try {
    info = await container.inspect();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await docker.getImage(image).inspect();
    } catch (e) {
      if (!isNotFound(e)) throw e;
      throw new Error(`the registry image ${image} is not in Docker — pull it (\`docker pull ${image}\`) or load an offline bundle with \`kyma-local images load\``);
    }
    container = await docker.createContainer({
      name,
      Image: image,
      ExposedPorts: { '5000/tcp': {} },
      HostConfig: { RestartPolicy: { Name: 'always' }, PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }] }, NetworkMode: 'bridge' },
    });
    created = true;
    info = await container.inspect();
  }
  if (!info.State.Running) {
    await container.start();
    started = true;
  }
  const connected = await connectToNetwork(docker, network, info.Id);
  return { id: info.Id, name, created, started, connected };
}

/** Connects a container to a network if that network exists and it is not already on it. */
export async function connectToNetwork(docker: Docker, network: string, containerId: string): Promise<boolean> {
  const net = docker.getNetwork(network);
  let netInfo: { Containers?: Record<string, unknown> };
  try {
    netInfo = (await net.inspect()) as typeof netInfo;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  if (netInfo.Containers && containerId in netInfo.Containers) return true;
  await net.connect({ Container: containerId });
  return true;
}

/** Step 3 of the recipe: writes the containerd hosts.toml mirrors into every node of the cluster. */
export async function configureNodeMirrors(docker: Docker, cluster: string): Promise<string[]> {
  const nodes = await nodeContainers(docker, cluster);
  for (const n of nodes) {
    for (const f of registryHostsFiles()) {
      const dir = f.path.slice(0, f.path.lastIndexOf('/'));
      await execIn(docker, n.id, ['sh', '-c', `mkdir -p '${dir}' && cat > '${f.path}'`], f.content);
    }
  }
  return nodes.map((n) => n.name);
}

/** The path an image gets in the local registry: its registry host dropped, as containerd asks a mirror for it. */
export function mirrorPath(image: string): string {
  const parts = image.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const rest = hasHost ? parts.slice(1).join('/') : image;
  return rest.includes('/') || hasHost ? rest : `library/${rest}`;
}
