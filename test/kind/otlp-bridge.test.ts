import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { dockerClient, startOtlpBridge, type OtlpBridge } from '../../main/core/kind/index.js';
import { createTelemetry, type Telemetry } from '../../main/core/telemetry/index.js';
import { BUSYBOX, dockerRunning, importBusyboxImage, uniqueName } from './docker-helpers.js';

// The kind runtime's telemetry bridge against the real Docker engine: a user-defined network stands in for
// `kind`, a busybox container on it stands in for the cluster's telemetry gateway (a pod reaches the host
// through the same bridge), and the daemon's telemetry stores are the real ones.
const running = await dockerRunning();
const why = !running ? ' (skipped: no Docker engine answers — start dockerd)' : !BUSYBOX ? ' (skipped: busybox-static is not installed)' : '';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function traceBody(traceId = TRACE_ID): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }, { key: 'k8s.namespace.name', value: { stringValue: 'default' } }] },
        scopeSpans: [{ spans: [{ traceId, spanId: SPAN_ID, name: 'GET /orders', kind: 2, startTimeUnixNano: String(now - 5_000_000n), endTimeUnixNano: String(now) }] }],
      },
    ],
  });
}

function logBody(text: string): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
        scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), severityText: 'INFO', body: { stringValue: text }, traceId: TRACE_ID, spanId: SPAN_ID }] }],
      },
    ],
  });
}

/** A plain HTTP request from the host to the bridge (no client-side defaults that would hide a header). */
function hostRequest(bridge: OtlpBridge, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: bridge.host, port: bridge.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body ?? '{}');
  });
}

describe.skipIf(why !== '')(`kind telemetry bridge on a Docker network's gateway${why}`, () => {
  let docker: Docker;
  let telemetry: Telemetry;
  let bridge: OtlpBridge;
  let gateway: string;
  const network = uniqueName('kl-telnet');
  const image = `${uniqueName('kl-wget')}:test`;
  const containers: string[] = [];

  /** `busybox wget` from a container on the network, as the cluster's telemetry gateway would POST. */
  async function postFromContainer(path: string, body: string, headers: Record<string, string>): Promise<{ ok: boolean; output: string }> {
    const name = uniqueName('kl-sender');
    containers.push(name);
    // No -T: Debian's busybox-static 1.35 wget segfaults with it; execa's timeout bounds the run instead.
    const args = ['run', '--rm', '--name', name, '--network', network, image, '/bin/busybox', 'wget', '-q', '-O', '-'];
    for (const [k, v] of Object.entries({ 'Content-Type': 'application/json', ...headers })) args.push('--header', `${k}: ${v}`);
    args.push('--post-data', body, `http://${bridge.host}:${bridge.port}${path}`);
    const r = await execa('docker', args, { reject: false, timeout: 60_000 });
    return { ok: r.exitCode === 0, output: `${r.stdout}\n${r.stderr}` };
  }

  beforeAll(async () => {
    docker = dockerClient();
    await importBusyboxImage(image, ['/bin/sleep', '3600']);
    await docker.createNetwork({ Name: network });
    const info = (await docker.getNetwork(network).inspect()) as { IPAM: { Config: Array<{ Gateway?: string }> } };
    gateway = info.IPAM.Config.map((c) => c.Gateway).find((g): g is string => !!g && !g.includes(':'))!;
    telemetry = createTelemetry();
    bridge = await startOtlpBridge({ docker, telemetry, network, maxBodyBytes: 256 * 1024 });
  });

  afterAll(async () => {
    await bridge?.close();
    for (const name of containers) await docker?.getContainer(name).remove({ force: true }).catch(() => undefined);
    await docker?.getNetwork(network).remove().catch(() => undefined);
    await docker?.getImage(image).remove({ force: true }).catch(() => undefined);
  });

  it("listens on the network's gateway IP only — nothing on 127.0.0.1", async () => {
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(bridge.host).toBe(gateway);
    expect(bridge.endpoint).toBe(`http://${gateway}:${bridge.port}`);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const loopback = await new Promise<string>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port: bridge.port });
      sock.once('connect', () => {
        sock.destroy();
        resolve('connected');
      });
      sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(loopback).toBe('ECONNREFUSED');
  });

  it('a sender on the network with the token gets its trace and log into the daemon’s telemetry', async () => {
    const auth = { Authorization: `Bearer ${bridge.token}` };
    const trace = await postFromContainer('/v1/traces', traceBody(), auth);
    expect(trace.ok, trace.output).toBe(true);
    const log = await postFromContainer('/v1/logs', logBody('hello from the cluster'), auth);
    expect(log.ok, log.output).toBe(true);

    const stored = telemetry.getTrace(TRACE_ID);
    expect(stored?.spans.map((s) => ({ name: s.name, spanId: s.spanId, service: s.service }))).toEqual([{ name: 'GET /orders', spanId: SPAN_ID, service: 'orders' }]);
    const logs = telemetry.queryLogs({ text: 'hello from the cluster' });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ body: 'hello from the cluster', traceId: TRACE_ID });
  });

  it('without the token, or with a wrong one: 401 and nothing stored', async () => {
    const before = telemetry.stats();
    const refusedBefore = bridge.refused();
    const none = await postFromContainer('/v1/traces', traceBody('0af7651916cd43dd8448eb211c80319c'), {});
    expect(none.ok).toBe(false);
    expect(none.output).toContain('401');
    const wrong = await postFromContainer('/v1/logs', logBody('forged'), { Authorization: `Bearer ${'x'.repeat(43)}` });
    expect(wrong.ok).toBe(false);
    expect(wrong.output).toContain('401');
    const after = telemetry.stats();
    expect({ spans: after.spans, logRecords: after.logRecords }).toEqual({ spans: before.spans, logRecords: before.logRecords });
    expect(telemetry.getTrace('0af7651916cd43dd8448eb211c80319c')).toBeUndefined();
    expect(bridge.refused() - refusedBefore).toBe(2);
    // The answer names what is missing and where the token lives.
    const res = await hostRequest(bridge, '/v1/traces', { body: traceBody() });
    expect(res.status).toBe(401);
    expect(res.body).toContain('Authorization: Bearer <token>');
    expect(res.body).toContain('kyma-system/kyma-local-telemetry-bridge');
  });

  it('refuses browsers (even with the token) and foreign Host names with 403', async () => {
    const auth = { authorization: `Bearer ${bridge.token}` };
    const before = telemetry.stats().spans;
    const evil = await hostRequest(bridge, '/v1/traces', { headers: { ...auth, origin: 'https://evil.example' }, body: traceBody('1af7651916cd43dd8448eb211c80319c') });
    expect(evil.status).toBe(403);
    const local = await hostRequest(bridge, '/v1/traces', { headers: { ...auth, origin: 'http://localhost:5173' }, body: traceBody('1af7651916cd43dd8448eb211c80319c') });
    expect(local.status).toBe(403);
    expect(local.body).toContain('browser request');
    const fetchMeta = await hostRequest(bridge, '/v1/traces', { headers: { ...auth, 'sec-fetch-site': 'same-site' }, body: traceBody('1af7651916cd43dd8448eb211c80319c') });
    expect(fetchMeta.status).toBe(403);
    const rebound = await hostRequest(bridge, '/v1/traces', { headers: { ...auth, host: `evil.example:${bridge.port}` }, body: traceBody('1af7651916cd43dd8448eb211c80319c') });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('Host "evil.example');
    expect(telemetry.stats().spans).toBe(before);
  });

  it('serves only the OTLP/HTTP paths and bounds the body in bytes', async () => {
    const auth = { authorization: `Bearer ${bridge.token}` };
    expect((await hostRequest(bridge, '/kl/v1/status', { headers: auth })).status).toBe(404);
    expect((await hostRequest(bridge, '/v1/traces', { headers: { ...auth, 'content-type': 'text/plain' } })).status).toBe(415);
    const big = await hostRequest(bridge, '/v1/logs', { headers: auth, body: logBody('y'.repeat(300 * 1024)) });
    expect(big.status).toBe(413);
    // From the host too, the same request with the token is accepted (the daemon's own view of the bridge).
    const ok = await hostRequest(bridge, '/v1/metrics', {
      headers: auth,
      body: JSON.stringify({ resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] }, scopeMetrics: [{ metrics: [{ name: 'orders_total', sum: { isMonotonic: true, aggregationTemporality: 2, dataPoints: [{ asInt: '3', timeUnixNano: String(BigInt(Date.now()) * 1_000_000n) }] } }] }] }] }),
    });
    expect(ok.status).toBe(200);
    expect(telemetry.queryMetrics({ name: 'orders_total' }).length).toBe(1);
  });

  it('close() frees the address; a network without a gateway is a clear error', async () => {
    const second = await startOtlpBridge({ docker, telemetry, network });
    await second.close();
    await expect(startOtlpBridge({ docker, telemetry, network: uniqueName('kl-nonet') })).rejects.toThrow(/has no IPv4 gateway \(or does not exist\)/);
  });
});
