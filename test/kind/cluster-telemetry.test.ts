import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { silentLogger, type KubeObject, type ResourceType } from '../../main/core/model/index.js';
import { BRIDGE_TOKEN_SECRET, CLUSTER_TELEMETRY_COMPONENT, dockerClient, KubeClient, PIPELINE_KINDS, PIPELINE_NAME, startClusterTelemetry, type ClusterTelemetry } from '../../main/core/kind/index.js';
import { createTelemetry, type Telemetry } from '../../main/core/telemetry/index.js';
import type { ComponentState } from '../../main/core/runtime.js';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from '../kube-api/server.js';
import { BUSYBOX, dockerRunning, importBusyboxImage, uniqueName } from './docker-helpers.js';

// What `up` does once the telemetry module is Ready, against real things: the bridge on a real Docker network's
// gateway, the Secret and pipelines server-side applied with client-node to a Kubernetes-conformant API server
// (the daemon's kube-api, here also serving the telemetry module's pipeline kinds as its CRDs would), and a
// container on that network sending OTLP with the token it would read from that Secret.
const running = await dockerRunning();
const why = !running ? ' (skipped: no Docker engine answers — start dockerd)' : !BUSYBOX ? ' (skipped: busybox-static is not installed)' : '';

/** A pipeline kind as the telemetry module's CRD declares it: cluster-scoped, with status. */
function pipelineType(kind: string): ResourceType {
  const plural = `${kind.toLowerCase()}s`;
  return {
    group: 'telemetry.kyma-project.io',
    versions: ['v1beta1'],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    shortNames: [],
    namespaced: false,
    hasStatus: true,
    categories: [],
    printerColumns: [],
    validate: () => [],
    applyDefaults: (obj: KubeObject) => obj,
  };
}

/** Listens on host:0 and returns the server (holding the port) and its port. */
async function holdPort(host: string): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return { server, port: (server.address() as net.AddressInfo).port };
}

function gatewayOf(info: { IPAM: { Config: Array<{ Gateway?: string }> } }): string {
  return info.IPAM.Config.map((c) => c.Gateway).find((g): g is string => !!g && !g.includes(':'))!;
}

describe.skipIf(why !== '')(`cluster telemetry on up${why}`, () => {
  let docker: Docker;
  let cluster: TestKubeServer;
  let client: KubeClient;
  let telemetry: Telemetry;
  let gateway: string;
  let link: ClusterTelemetry | undefined;
  const reports: Array<{ state: ComponentState; message: string }> = [];
  const network = uniqueName('kl-kindnet');
  const image = `${uniqueName('kl-wget')}:test`;
  const containers: string[] = [];

  beforeAll(async () => {
    docker = dockerClient();
    await importBusyboxImage(image, ['/bin/sleep', '3600']);
    await docker.createNetwork({ Name: network });
    gateway = gatewayOf((await docker.getNetwork(network).inspect()) as { IPAM: { Config: Array<{ Gateway?: string }> } });
    cluster = await startKubeServer({ extraTypes: PIPELINE_KINDS.map(pipelineType) });
    client = new KubeClient({ kubeconfigPath: await writeKubeconfig(cluster) });
    telemetry = createTelemetry();
  });

  afterAll(async () => {
    await link?.stop();
    for (const name of containers) await docker?.getContainer(name).remove({ force: true }).catch(() => undefined);
    await docker?.getNetwork(network).remove().catch(() => undefined);
    await docker?.getImage(image).remove({ force: true }).catch(() => undefined);
    await cluster?.close();
  });

  it("with the telemetry module: starts the bridge on the profile's port, applies the token Secret and the three pipelines pointing at it", async () => {
    const probe = await holdPort(gateway);
    await new Promise<void>((resolve) => probe.server.close(() => resolve()));
    link = await startClusterTelemetry({ modules: ['istio', 'telemetry'], port: probe.port, docker, client, telemetry, log: silentLogger, network, report: (state, message) => reports.push({ state, message }) });
    expect(link?.bridge).toBeDefined();
    const bridge = link!.bridge!;
    expect(bridge.endpoint).toBe(`http://${gateway}:${probe.port}`);
    expect(reports.at(-1)).toEqual({ state: 'Ready', message: `Trace/Log/MetricPipelines kyma-local → ${bridge.endpoint} (kind network only, bearer token required)` });

    const secret = await client.get<KubeObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: BRIDGE_TOKEN_SECRET.name, namespace: BRIDGE_TOKEN_SECRET.namespace } });
    expect(Buffer.from(secret?.data?.[BRIDGE_TOKEN_SECRET.key] ?? '', 'base64').toString('utf8')).toBe(bridge.token);
    for (const kind of PIPELINE_KINDS) {
      const p = await client.get<KubeObject>({ apiVersion: 'telemetry.kyma-project.io/v1beta1', kind, metadata: { name: PIPELINE_NAME } });
      expect(p?.spec, kind).toEqual({
        output: {
          otlp: {
            protocol: 'http',
            endpoint: { value: bridge.endpoint },
            headers: [{ name: 'Authorization', prefix: 'Bearer', valueFrom: { secretKeyRef: { name: BRIDGE_TOKEN_SECRET.name, namespace: BRIDGE_TOKEN_SECRET.namespace, key: BRIDGE_TOKEN_SECRET.key } } }],
          },
        },
      });
      // The token is in the Secret only, never in the pipeline objects users and the dashboard look at.
      expect(JSON.stringify(p)).not.toContain(bridge.token);
    }
  });

  it('a sender on the network using the endpoint and the token from the cluster’s Secret reaches the daemon’s log store', async () => {
    const pipeline = await client.get<KubeObject & { spec: { output: { otlp: { endpoint: { value: string } } } } }>({ apiVersion: 'telemetry.kyma-project.io/v1beta1', kind: 'LogPipeline', metadata: { name: PIPELINE_NAME } });
    const secret = await client.get<KubeObject & { data: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: BRIDGE_TOKEN_SECRET.name, namespace: BRIDGE_TOKEN_SECRET.namespace } });
    const token = Buffer.from(secret!.data[BRIDGE_TOKEN_SECRET.key]!, 'base64').toString('utf8');
    const body = JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] }, scopeLogs: [{ logRecords: [{ severityText: 'WARN', body: { stringValue: 'stock low for sku-42' } }] }] }] });
    const name = uniqueName('kl-gateway');
    containers.push(name);
    // As the telemetry gateway's otlphttp exporter does: <endpoint>/v1/logs with the header from the pipeline.
    const r = await execa('docker', ['run', '--rm', '--name', name, '--network', network, image, '/bin/busybox', 'wget', '-q', '-O', '-', '--header', 'Content-Type: application/json', '--header', `Authorization: Bearer ${token}`, '--post-data', body, `${pipeline!.spec.output.otlp.endpoint.value}/v1/logs`], { reject: false, timeout: 60_000 });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(telemetry.queryLogs({ text: 'stock low' })).toEqual([expect.objectContaining({ body: 'stock low for sku-42', level: 'warn' })]);
  });

  it('stop() (runtime down) closes the bridge', async () => {
    const { host, port } = link!.bridge!;
    await link!.stop();
    link = undefined;
    const code = await new Promise<string>((resolve) => {
      const sock = net.connect({ host, port });
      sock.once('connect', () => {
        sock.destroy();
        resolve('connected');
      });
      sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(code).toBe('ECONNREFUSED');
  });

  it("the profile's port taken on the gateway: a free port instead, still Ready", async () => {
    const taken = await holdPort(gateway);
    const seen: Array<{ state: ComponentState; message: string }> = [];
    const other = await startClusterTelemetry({ modules: ['telemetry'], port: taken.port, docker, client, telemetry, log: silentLogger, network, report: (state, message) => seen.push({ state, message }) });
    try {
      expect(other?.bridge?.port).toBeGreaterThan(0);
      expect(other?.bridge?.port).not.toBe(taken.port);
      expect(seen.at(-1)?.state).toBe('Ready');
    } finally {
      await other?.stop();
      await new Promise<void>((resolve) => taken.server.close(() => resolve()));
    }
  });

  it('without the telemetry module: follows function pod logs — a server with no pods API is reported, not fatal', async () => {
    const seen: Array<{ state: ComponentState; message: string }> = [];
    // The daemon's own API serves no Pods (nor pods/log), so the fallback can only show how it fails there.
    const fallback = await startClusterTelemetry({ modules: ['serverless'], docker, client, telemetry, log: silentLogger, network, report: (state, message) => seen.push({ state, message }) });
    expect(fallback).toBeUndefined();
    expect(seen).toEqual([{ state: 'Failed', message: expect.stringMatching(/^function logs are not shown: watching function pods failed \(HTTP 404\)/) }]);
    expect(CLUSTER_TELEMETRY_COMPONENT).toBe('cluster-telemetry');
  });

  it('a missing network is reported on the component and nothing is applied', async () => {
    const seen: Array<{ state: ComponentState; message: string }> = [];
    const other = await startKubeServer({ extraTypes: PIPELINE_KINDS.map(pipelineType) });
    try {
      const otherClient = new KubeClient({ kubeconfigPath: await writeKubeconfig(other) });
      const none = await startClusterTelemetry({ modules: ['telemetry'], docker, client: otherClient, telemetry, log: silentLogger, network: uniqueName('kl-missing'), report: (state, message) => seen.push({ state, message }) });
      expect(none).toBeUndefined();
      expect(seen.at(-1)).toEqual({ state: 'Failed', message: expect.stringContaining('cluster telemetry is not shown: Docker network') });
      expect(await otherClient.get({ apiVersion: 'telemetry.kyma-project.io/v1beta1', kind: 'TracePipeline', metadata: { name: PIPELINE_NAME } })).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
