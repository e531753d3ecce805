import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import {
  configureNodeMirrors,
  dockerClient,
  engineFacts,
  ensureRegistry,
  execIn,
  imagePresence,
  KIND_CLUSTER_LABEL,
  KIND_ROLE_LABEL,
  loadImages,
  nodeContainers,
  registryHostsFiles,
  saveImages,
  startNodes,
  stopNodes,
} from '../../main/core/kind/index.js';
import { BUSYBOX, dockerRunning, freePort, importBusyboxImage, uniqueName } from './docker-helpers.js';

// The kind runtime's Docker side against the real engine (Debian's docker.io; .ci/run starts dockerd).
const running = await dockerRunning();
const why = !running ? ' (skipped: no Docker engine answers — start dockerd)' : !BUSYBOX ? ' (skipped: busybox-static is not installed)' : '';

describe.skipIf(why !== '')(`Docker engine${why}`, () => {
  let docker: Docker;
  let dir: string;
  const image = `${uniqueName('kl-busybox')}:test`;
  const httpImage = `${uniqueName('kl-httpd')}:test`;
  const cluster = uniqueName('klc');
  const otherCluster = uniqueName('klo');
  const network = uniqueName('kl-net');
  const registryName = uniqueName('kl-registry');
  const containers: string[] = [];

  beforeAll(async () => {
    docker = dockerClient();
    dir = await mkdtemp(path.join(tmpdir(), 'kl-docker-'));
    await importBusyboxImage(image, ['/bin/sleep', '3600']);
    await importBusyboxImage(httpImage, ['/bin/httpd', '-f', '-p', '5000', '-h', '/etc']);
    await docker.createNetwork({ Name: network });
    // Two "nodes" of a cluster and one of another cluster, labelled and restarted the way kind does.
    for (const [name, c, role] of [[`${cluster}-control-plane`, cluster, 'control-plane'], [`${cluster}-worker`, cluster, 'worker'], [`${otherCluster}-control-plane`, otherCluster, 'control-plane']] as const) {
      const ct = await docker.createContainer({ name, Image: image, Labels: { [KIND_CLUSTER_LABEL]: c, [KIND_ROLE_LABEL]: role }, HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 1 } } });
      await ct.start();
      containers.push(name);
    }
  });

  afterAll(async () => {
    for (const name of [...containers, registryName]) await docker?.getContainer(name).remove({ force: true }).catch(() => undefined);
    await docker?.getNetwork(network).remove().catch(() => undefined);
    for (const img of [image, httpImage]) await docker?.getImage(img).remove({ force: true }).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the engine facts preflight needs', async () => {
    const facts = await engineFacts(docker);
    expect(facts.version).toMatch(/^\d+\.\d+/);
    expect(facts.memBytes).toBeGreaterThan(256 * 1024 * 1024);
    expect(facts.cpus).toBeGreaterThan(0);
    expect(['1', '2']).toContain(facts.cgroupVersion);
  });

  it("lists one cluster's node containers by kind's label", async () => {
    const nodes = await nodeContainers(docker, cluster);
    expect(nodes.map((n) => [n.name, n.role, n.state])).toEqual([
      [`${cluster}-control-plane`, 'control-plane', 'running'],
      [`${cluster}-worker`, 'worker', 'running'],
    ]);
  });

  it('stops and starts exactly that cluster’s nodes, keeping their filesystem', async () => {
    await execIn(docker, `${cluster}-control-plane`, ['sh', '-c', 'echo kept > /tmp/state']);
    expect((await stopNodes(docker, cluster, 1)).sort()).toEqual([`${cluster}-control-plane`, `${cluster}-worker`]);
    expect((await nodeContainers(docker, cluster)).map((n) => n.state)).toEqual(['exited', 'exited']);
    expect((await nodeContainers(docker, otherCluster)).map((n) => n.state)).toEqual(['running']);
    // Stopping again is a no-op.
    expect(await stopNodes(docker, cluster, 1)).toEqual([]);
    expect((await startNodes(docker, cluster)).sort()).toEqual([`${cluster}-control-plane`, `${cluster}-worker`]);
    expect((await nodeContainers(docker, cluster)).map((n) => n.state)).toEqual(['running', 'running']);
    expect((await execIn(docker, `${cluster}-control-plane`, ['cat', '/tmp/state'])).trim()).toBe('kept');
  });

  it('writes the containerd registry mirrors into every node', async () => {
    const nodes = await configureNodeMirrors(docker, cluster);
    expect(nodes).toEqual([`${cluster}-control-plane`, `${cluster}-worker`]);
    for (const f of registryHostsFiles()) {
      expect(await execIn(docker, `${cluster}-worker`, ['cat', f.path])).toBe(f.content);
    }
    await expect(execIn(docker, `${cluster}-worker`, ['cat', '/nonexistent'])).rejects.toThrow(/exited with 1/);
  });

  it('runs the registry container on loopback, on the network, idempotently', async () => {
    const hostPort = await freePort();
    const first = await ensureRegistry(docker, { name: registryName, image: httpImage, hostPort, network });
    expect(first).toMatchObject({ name: registryName, created: true, connected: true });
    const info = await docker.getContainer(registryName).inspect();
    expect(info.HostConfig.RestartPolicy?.Name).toBe('always');
    expect(info.NetworkSettings.Ports['5000/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(hostPort) }]);
    expect(Object.keys(info.NetworkSettings.Networks)).toContain(network);
    // It answers on the published loopback port (busybox httpd serving /etc stands in for registry:3).
    let status = 0;
    for (let i = 0; i < 50 && status === 0; i++) {
      status = await fetch(`http://127.0.0.1:${hostPort}/`).then((r) => r.status, () => 0);
      if (status === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBeGreaterThan(0);
    const again = await ensureRegistry(docker, { name: registryName, image: httpImage, hostPort, network });
    expect(again).toMatchObject({ id: first.id, created: false, started: false, connected: true });
    await docker.getContainer(registryName).stop({ t: 1 });
    expect(await ensureRegistry(docker, { name: registryName, image: httpImage, hostPort, network })).toMatchObject({ id: first.id, created: false, started: true });
  });

  it('refuses to create the registry from an image Docker does not have, naming it', async () => {
    await expect(ensureRegistry(docker, { name: uniqueName('kl-noreg'), image: 'kyma-local-test/absent:0', hostPort: await freePort(), network })).rejects.toThrow(/kyma-local-test\/absent:0 is not in Docker/);
  });

  it('saves images into one archive and loads them back', async () => {
    const archive = path.join(dir, 'images.tar');
    const events: string[] = [];
    await saveImages(docker, [image], archive, (e) => events.push(`${e.state} ${e.image}`));
    expect((await stat(archive)).size).toBeGreaterThan(1_000_000);
    expect(events).toEqual([`saving ${image}`, `saved ${image}`]);
    await docker.getImage(image).remove({ force: true, noprune: false }).catch(() => undefined);
    // The nodes still use the image by ID; what matters is that the tag is gone before the load.
    expect(await imagePresence(docker, [image])).toEqual([{ image, present: false }]);
    const loaded = await loadImages(docker, archive);
    expect(loaded).toContain(image);
    expect(await imagePresence(docker, [image])).toEqual([{ image, present: true }]);
  });

  it('refuses to save images Docker does not have, and leaves no partial archive', async () => {
    const archive = path.join(dir, 'missing.tar');
    await expect(saveImages(docker, [image, 'kyma-local-test/absent:0'], archive)).rejects.toThrow(/not in Docker: kyma-local-test\/absent:0/);
    await expect(stat(archive)).rejects.toThrow();
    await expect(stat(`${archive}.partial`)).rejects.toThrow();
  });
});
