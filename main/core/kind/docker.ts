import Docker from 'dockerode';

/** kind's labels on its node containers (KS providers/docker/constants.go). */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role';

export interface DockerOptions {
  /** Per-request timeout; leave unset for long work (pull, save, load). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * A dockerode client for `DOCKER_HOST` (unix://, tcp:// with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH, npipe://)
 * or the default socket. docker-modem reads the variables from process.env only, so an explicit env is mapped.
 */
export function dockerClient(opts: DockerOptions = {}): Docker {
  const env = opts.env ?? process.env;
  const host = env.DOCKER_HOST;
  const timeout = opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {};
  if (host?.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length), ...timeout });
  if (host?.startsWith('npipe://')) return new Docker({ socketPath: host.slice('npipe:'.length).replace(/\//g, '\\'), ...timeout });
  if (!host) return new Docker({ socketPath: process.platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock', ...timeout });
  // tcp:// and ssh://: docker-modem parses DOCKER_HOST and the TLS variables itself.
  return new Docker(timeout);
}

/** Where we looked, for messages. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? (process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock');
}

export interface EngineFacts {
  version: string;
  memBytes: number;
  cpus: number;
  cgroupVersion: string;
  os: string;
  arch: string;
}

/** Pings the engine and reads what preflight needs; rejects when the engine is unreachable. */
export async function engineFacts(docker: Docker): Promise<EngineFacts> {
  await docker.ping();
  const info = (await docker.info()) as { ServerVersion?: string; MemTotal?: number; NCPU?: number; CgroupVersion?: string; OperatingSystem?: string; Architecture?: string };
  return {
    version: info.ServerVersion ?? 'unknown',
    memBytes: info.MemTotal ?? 0,
    cpus: info.NCPU ?? 0,
    cgroupVersion: info.CgroupVersion ?? 'unknown',
    os: info.OperatingSystem ?? 'unknown',
    arch: info.Architecture ?? 'unknown',
  };
}

export interface NodeContainer {
  id: string;
  name: string;
  role: string;
  state: string;
}

/** The node containers of one kind cluster, running or not (kind itself lists them the same way). */
export async function nodeContainers(docker: Docker, cluster: string): Promise<NodeContainer[]> {
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${KIND_CLUSTER_LABEL}=${cluster}`] }) });
  return list
    .map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), role: c.Labels[KIND_ROLE_LABEL] ?? 'unknown', state: c.State }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * kind has no stop: `docker stop` keeps the node's data and `docker start` brings the same cluster back
 * (the API server port is fixed at create time). Returns the nodes it stopped.
 */
export async function stopNodes(docker: Docker, cluster: string, timeoutSec = 30): Promise<string[]> {
  const stopped: string[] = [];
  for (const n of await nodeContainers(docker, cluster)) {
    if (n.state !== 'running') continue;
    await docker.getContainer(n.id).stop({ t: timeoutSec });
    stopped.push(n.name);
  }
  return stopped;
}

/** Starts every stopped node of the cluster; returns the nodes it started. */
export async function startNodes(docker: Docker, cluster: string): Promise<string[]> {
  const started: string[] = [];
  // Load balancer first for HA clusters, then control plane, then workers — the order kind created them.
  for (const n of await nodeContainers(docker, cluster)) {
    if (n.state === 'running') continue;
    await docker.getContainer(n.id).start();
    started.push(n.name);
  }
  return started;
}

/** Runs a command in a container and returns its output; rejects on a non-zero exit. */
export async function execIn(docker: Docker, container: string, cmd: string[], stdin?: string): Promise<string> {
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: stdin !== undefined });
  const stream = await exec.start({ hijack: true, stdin: stdin !== undefined });
  const chunks: Buffer[] = [];
  const sink = { write: (b: Buffer) => chunks.push(b) } as unknown as NodeJS.WritableStream;
  docker.modem.demuxStream(stream, sink, sink);
  if (stdin !== undefined) stream.end(stdin);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  const out = Buffer.concat(chunks).toString('utf8');
  if (ExitCode !== 0) throw new Error(`\`${cmd.join(' ')}\` in ${container} exited with ${ExitCode}: ${out.trim()}`);
  return out;
}

/**
 * Reads the `kind` network's IPv4 gateway (often 172.18.0.1, but Docker assigns it, so never assume); tests
 * pass a network of their own.
 */
export async function kindNetworkGateway(docker: Docker, network = 'kind'): Promise<string | undefined> {
  try {
    const net = (await docker.getNetwork(network).inspect()) as { IPAM?: { Config?: Array<{ Gateway?: string }> } };
    return net.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && !g.includes(':'));
  } catch {
    return undefined;
  }
}
