import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinBroker, findRedisServer, natsKvOffering, postgresqlOffering, redisOffering, startOsbServer, type OsbServer } from '../../main/core/embedded/brokers/index.js';
import { startNats, type RunningNats } from '../../main/core/embedded/nats/index.js';
import { createSupervisor, type Supervisor } from '../../main/core/embedded/supervisor/index.js';
import { silentLogger } from '../../main/core/model/index.js';
import { waitFor } from '../helpers/cli.js';

// The built-in broker spoken to as any OSB platform would: raw HTTP, basic auth, X-Broker-API-Version, async
// provisioning with last_operation. redis and nats-kv are checked end to end with their own protocols.

let dir: string;
let supervisor: Supervisor;
let nats: RunningNats;
let broker: BuiltinBroker;
let server: OsbServer;
const AUTH = `Basic ${Buffer.from('kyma-local:pw').toString('base64')}`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-osb-'));
  supervisor = createSupervisor({ stateDir: dir, log: silentLogger });
  nats = await startNats({ supervisor, stateDir: dir, port: 0, log: silentLogger });
  broker = new BuiltinBroker({
    offerings: [postgresqlOffering(), redisOffering(findRedisServer()), natsKvOffering(() => nats.url)],
    dir: path.join(dir, 'services'),
    ctx: { supervisor, natsUrl: nats.url, log: silentLogger },
    log: silentLogger,
  });
  await broker.resume();
  server = await startOsbServer({ backend: broker, username: 'kyma-local', password: 'pw', port: 0, log: silentLogger });
});

afterAll(async () => {
  await server?.close();
  await supervisor?.stopAll();
  await rm(dir, { recursive: true, force: true });
});

async function osb(method: string, p: string, body?: unknown, headers: Record<string, string> = { Authorization: AUTH, 'X-Broker-API-Version': '2.17' }): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${p}`, { method, headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Provisions and polls last_operation until it is no longer in progress. */
async function provision(id: string, serviceId: string, planId: string, parameters: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await osb('PUT', `/v2/service_instances/${id}?accepts_incomplete=true`, { service_id: serviceId, plan_id: planId, parameters });
  expect(r.status).toBe(202);
  let last: Record<string, unknown> = {};
  await waitFor(async () => {
    last = (await osb('GET', `/v2/service_instances/${id}/last_operation?operation=${String(r.body.operation)}`)).body;
    return last.state !== 'in progress';
  }, `instance ${id} to be provisioned`, 60_000);
  return last;
}

function resp(port: number, commands: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(commands));
    s.on('data', (d) => {
      out += d.toString();
      if (out.split('\r\n').length > commands.split('\r\n').length - 1) s.end();
    });
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

describe('the built-in OSB broker', () => {
  it('refuses requests without basic auth (401) or without X-Broker-API-Version (412)', async () => {
    expect((await osb('GET', '/v2/catalog', undefined, { 'X-Broker-API-Version': '2.17' })).status).toBe(401);
    const noVersion = await osb('GET', '/v2/catalog', undefined, { Authorization: AUTH });
    expect(noVersion.status).toBe(412);
    expect(noVersion.body.description).toContain('X-Broker-API-Version');
  });

  it('serves a catalog of postgresql, redis and nats-kv with plan schemas', async () => {
    const r = await osb('GET', '/v2/catalog');
    expect(r.status).toBe(200);
    const services = r.body.services as Array<{ name: string; bindable: boolean; plans: Array<{ name: string; schemas?: unknown }> }>;
    expect(services.map((s) => s.name)).toEqual(['postgresql', 'redis', 'nats-kv']);
    expect(services.every((s) => s.bindable && s.plans.length > 0 && s.plans[0]!.schemas)).toBe(true);
  });

  it('asks for accepts_incomplete (422 AsyncRequired) and rejects invalid parameters with their path (400)', async () => {
    const sync = await osb('PUT', '/v2/service_instances/r0', { service_id: 'kyma-local-redis', plan_id: 'kyma-local-redis-dev' });
    expect(sync).toEqual({ status: 422, body: { error: 'AsyncRequired', description: expect.stringContaining('accepts_incomplete=true') } });
    const bad = await osb('PUT', '/v2/service_instances/r0?accepts_incomplete=true', { service_id: 'kyma-local-redis', plan_id: 'kyma-local-redis-dev', parameters: { maxmemory: 'lots', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.description).toBe('invalid parameters for redis/dev: extra: unknown parameter; maxmemory: must match pattern "^[0-9]+(kb|mb|gb)?$"');
  });

  it('redis: provisions async, binds credentials that authenticate, unbinds, deprovisions and frees the port', async () => {
    expect(await provision('r1', 'kyma-local-redis', 'kyma-local-redis-dev', { maxmemory: '16mb' })).toEqual({ state: 'succeeded', description: expect.stringMatching(/^ready in \d+ ms$/) });
    const bind = await osb('PUT', '/v2/service_instances/r1/service_bindings/b1', { service_id: 'kyma-local-redis', plan_id: 'kyma-local-redis-dev' });
    expect(bind.status).toBe(201);
    const c = bind.body.credentials as { host: string; port: number; password: string; uri: string };
    expect(c.uri).toBe(`redis://:${encodeURIComponent(c.password)}@127.0.0.1:${c.port}`);
    expect(await resp(c.port, 'PING\r\n')).toMatch(/^-NOAUTH/);
    expect(await resp(c.port, `AUTH ${c.password}\r\nSET k v\r\nGET k\r\n`)).toBe('+OK\r\n+OK\r\n$1\r\nv\r\n');
    expect((await osb('PUT', '/v2/service_instances/r1/service_bindings/b1', { service_id: 'kyma-local-redis', plan_id: 'kyma-local-redis-dev' })).status).toBe(200);
    expect((await osb('DELETE', '/v2/service_instances/r1/service_bindings/b1?service_id=kyma-local-redis&plan_id=kyma-local-redis-dev')).status).toBe(200);
    expect((await osb('DELETE', '/v2/service_instances/r1/service_bindings/b1?service_id=kyma-local-redis&plan_id=kyma-local-redis-dev')).status).toBe(410);
    expect((await osb('DELETE', '/v2/service_instances/r1?service_id=kyma-local-redis&plan_id=kyma-local-redis-dev&accepts_incomplete=true')).status).toBe(200);
    expect((await osb('GET', '/v2/service_instances/r1/last_operation')).status).toBe(410);
    await expect(resp(c.port, 'PING\r\n')).rejects.toThrow(/ECONNREFUSED/);
    expect(await readdir(path.join(dir, 'services', 'redis'))).toEqual([]);
  });

  it('nats-kv: a JetStream bucket on the nats-server, usable with the bound name and URL, gone after deprovision', async () => {
    expect((await provision('k1', 'kyma-local-nats-kv', 'kyma-local-nats-kv-bucket', { history: 3 })).state).toBe('succeeded');
    const bind = await osb('PUT', '/v2/service_instances/k1/service_bindings/b1', { service_id: 'kyma-local-nats-kv', plan_id: 'kyma-local-nats-kv-bucket' });
    const c = bind.body.credentials as { url: string; bucket: string };
    expect(c).toMatchObject({ url: nats.url, bucket: 'kl_k1' });
    const nc = await connect({ servers: c.url });
    try {
      const kv = await nc.jetstream().views.kv(c.bucket, { bindOnly: true });
      await kv.put('greeting', 'hello');
      expect((await kv.get('greeting'))?.string()).toBe('hello');
      expect((await kv.status()).history).toBe(3);
      expect((await osb('DELETE', '/v2/service_instances/k1?service_id=kyma-local-nats-kv&plan_id=kyma-local-nats-kv-bucket')).status).toBe(200);
      const jsm = await nc.jetstreamManager();
      await expect(jsm.streams.info(`KV_${c.bucket}`)).rejects.toThrow(/stream not found/);
    } finally {
      await nc.close();
    }
  });

  it('lists redis as unavailable with the fix when redis-server is missing', () => {
    const missing = redisOffering(undefined);
    expect(missing.unavailable()).toMatch(/redis-server is not installed — install it \(Debian\/Ubuntu: `apt-get install redis-server`\)/);
  });
});
