import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceCatalogController } from '../../main/core/embedded/brokers/index.js';
import { RESOURCE_TYPES, SECRET, SERVICE_BINDING, SERVICE_BROKER, SERVICE_INSTANCE, silentLogger, type KubeObject } from '../../main/core/model/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { waitFor } from '../helpers/cli.js';

// An OSB broker written here, served over real HTTP, registered by a ServiceBroker resource; the controller
// provisions asynchronously (last_operation polling), binds, unbinds and deprovisions, and copes with broken answers.

interface Call {
  method: string;
  path: string;
  version?: string;
  auth?: string;
}

interface TestBroker {
  url: string;
  calls: Call[];
  /** Answers to send before behaving (status, raw body), per "METHOD /path-prefix". */
  faults: Map<string, Array<{ status: number; body: string }>>;
  instances: Set<string>;
  close(): Promise<void>;
}

const CATALOG = {
  services: [
    {
      id: 'svc-ext-db',
      name: 'ext-db',
      description: 'A database from the test broker',
      bindable: true,
      plans: [
        {
          id: 'plan-small',
          name: 'small',
          description: 'small',
          schemas: { service_instance: { create: { parameters: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { size: { enum: ['s', 'm'] } }, required: ['size'] } } } },
        },
      ],
    },
  ],
};

async function startBroker(user: string, password: string): Promise<TestBroker> {
  const calls: Call[] = [];
  const faults = new Map<string, Array<{ status: number; body: string }>>();
  const instances = new Set<string>();
  const polls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    calls.push({ method: req.method!, path: url.pathname, version: req.headers['x-broker-api-version'] as string, auth: req.headers.authorization! });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization !== `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`) return send(401, {});
      const fault = [...faults.entries()].find(([k]) => `${req.method} ${url.pathname}`.startsWith(k));
      if (fault && fault[1].length > 0) {
        const f = fault[1].shift()!;
        return send(f.status, f.body);
      }
      const parts = url.pathname.split('/').filter(Boolean);
      if (url.pathname === '/v2/catalog') return send(200, CATALOG);
      const id = parts[2]!;
      if (parts.length === 3 && req.method === 'PUT') {
        if (url.searchParams.get('accepts_incomplete') !== 'true') return send(422, { error: 'AsyncRequired' });
        instances.add(id);
        polls.set(id, 0);
        return send(202, { operation: `create-${id}` });
      }
      if (parts.length === 3 && req.method === 'DELETE') {
        instances.delete(id);
        polls.set(id, -100);
        return send(202, { operation: `delete-${id}` });
      }
      if (parts[3] === 'last_operation') {
        const n = (polls.get(id) ?? 0) + 1;
        polls.set(id, n);
        if (n < 0) return send(410, {}); // deprovisioned
        return send(200, n < 3 ? { state: 'in progress', description: `step ${n}` } : { state: 'succeeded' });
      }
      if (parts[3] === 'service_bindings' && req.method === 'PUT') return send(201, { credentials: { url: `https://ext.example/${id}`, token: 'secret-token' } });
      if (parts[3] === 'service_bindings' && req.method === 'DELETE') return send(200, {});
      return send(404, { description: 'no' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    faults,
    instances,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

let dir: string;
let store: FileStore;
let controller: ServiceCatalogController;
let broker: TestBroker;

const meta = (name: string) => ({ name, namespace: 'default' });
const find = (type: typeof SERVICE_INSTANCE, name: string, ns: string | undefined = 'default'): KubeObject | undefined => store.find(type, ns, name);
const cond = (o: KubeObject | undefined, type: string): { status?: string; reason?: string; message?: string } | undefined =>
  (o?.status?.conditions as Array<{ type: string }> | undefined)?.find((c) => c.type === type);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-ext-broker-'));
  store = await createFileStore({ dir, types: RESOURCE_TYPES });
  broker = await startBroker('admin', 'pw');
  controller = new ServiceCatalogController({ store, log: silentLogger, pollIntervalMs: 30, retryInitialMs: 50, retryMaxMs: 200 });
  controller.start();
  await store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ext-creds', namespace: 'kyma-system' }, stringData: { username: 'admin', password: 'pw' } });
  await store.create({ apiVersion: 'services.kyma-local.dev/v1alpha1', kind: 'ServiceBroker', metadata: { name: 'ext' }, spec: { url: broker.url, credentialsSecretRef: { name: 'ext-creds', namespace: 'kyma-system' } } });
});

afterAll(async () => {
  await controller?.stop();
  await broker?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an external OSB broker', () => {
  it('is registered by a ServiceBroker: its catalog lands in status, fetched with basic auth and X-Broker-API-Version', async () => {
    await waitFor(() => find(SERVICE_BROKER, 'ext', undefined)?.status?.ready === 'True', 'the broker to be Ready');
    const b = find(SERVICE_BROKER, 'ext', undefined)!;
    expect(b.status?.offerings).toBe(1);
    expect((b.status?.services as Array<{ name: string }>)[0]!.name).toBe('ext-db');
    const cat = broker.calls.find((c) => c.path === '/v2/catalog')!;
    expect(cat.version).toBe('2.17');
    expect(cat.auth).toBe(`Basic ${Buffer.from('admin:pw').toString('base64')}`);
  });

  it('names the valid offerings and plans, and rejects parameters against the plan schema with their path', async () => {
    await store.create({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceInstance', metadata: meta('typo'), spec: { serviceOfferingName: 'ext-dbb', servicePlanName: 'small' } });
    await waitFor(() => cond(find(SERVICE_INSTANCE, 'typo'), 'Failed') !== undefined, 'the typo instance to fail');
    expect(cond(find(SERVICE_INSTANCE, 'typo'), 'Failed')!.message).toBe('unknown serviceOfferingName "ext-dbb" — valid offerings: ext-db (broker ext)');
    await store.create({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceInstance', metadata: meta('noplan'), spec: { serviceOfferingName: 'ext-db', servicePlanName: 'huge' } });
    await waitFor(() => cond(find(SERVICE_INSTANCE, 'noplan'), 'Failed') !== undefined, 'the wrong-plan instance to fail');
    expect(cond(find(SERVICE_INSTANCE, 'noplan'), 'Failed')!.message).toContain('has no plan "huge" — valid plans: small');
    await store.create({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceInstance', metadata: meta('badparams'), spec: { serviceOfferingName: 'ext-db', servicePlanName: 'small', parameters: { size: 'xl' } } });
    await waitFor(() => cond(find(SERVICE_INSTANCE, 'badparams'), 'Failed') !== undefined, 'the bad-parameters instance to fail');
    const f = cond(find(SERVICE_INSTANCE, 'badparams'), 'Failed')!;
    expect(f.reason).toBe('CreateFailed');
    expect(f.message).toBe('invalid parameters for ext-db/small: size: must be equal to one of the allowed values');
    expect(broker.calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
  });

  it('provisions asynchronously, polling last_operation, then binds into a Secret', async () => {
    const seen = new Set<string>();
    const off = store.watch(SERVICE_INSTANCE, {}, (ev) => {
      const s = cond(ev.object, 'Succeeded');
      if (ev.object.metadata.name === 'ext' && s?.reason) seen.add(s.reason);
    });
    await store.create({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceInstance', metadata: meta('ext'), spec: { serviceOfferingName: 'ext-db', servicePlanName: 'small', parameters: { size: 's' } } });
    await waitFor(() => find(SERVICE_INSTANCE, 'ext')?.status?.ready === 'True', 'the async instance to be Ready');
    off();
    expect([...seen]).toEqual(['CreateInProgress', 'Created']);
    const si = find(SERVICE_INSTANCE, 'ext')!;
    expect(broker.calls.filter((c) => c.path.endsWith('/last_operation')).length).toBeGreaterThanOrEqual(3);
    expect(si.status?.instanceID).toBe(si.metadata.uid);

    await store.create({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceBinding', metadata: meta('ext-binding'), spec: { serviceInstanceName: 'ext', secretKey: 'credentials' } });
    await waitFor(() => find(SERVICE_BINDING, 'ext-binding')?.status?.ready === 'True', 'the binding to be Ready');
    const secret = store.find(SECRET, 'default', 'ext-binding')!;
    const data = Object.fromEntries(Object.entries(secret.data!).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(JSON.parse(data.credentials!)).toEqual({ url: `https://ext.example/${si.metadata.uid}`, token: 'secret-token' });
    expect(data).toMatchObject({ instance_name: 'ext', plan: 'small', type: 'ext-db', instance_guid: si.metadata.uid });
  });

  it('unbinds and deprovisions asynchronously on delete (410 Gone ends the delete)', async () => {
    await store.delete(SERVICE_BINDING, 'default', 'ext-binding');
    await waitFor(() => !find(SERVICE_BINDING, 'ext-binding'), 'the binding to go');
    expect(store.find(SECRET, 'default', 'ext-binding')).toBeUndefined();
    expect(broker.calls.some((c) => c.method === 'DELETE' && c.path.includes('/service_bindings/'))).toBe(true);
    await store.delete(SERVICE_INSTANCE, 'default', 'ext');
    await waitFor(() => !find(SERVICE_INSTANCE, 'ext'), 'the instance to go');
    expect(broker.instances.size).toBe(0);
  });

  it('reports malformed answers naming the broker and the HTTP status, retries, and ends Ready with one instance', async () => {
    broker.faults.set('PUT /v2/service_instances/', [
      { status: 200, body: '{"operation": "x"' },
      { status: 500, body: '{"description": "database on fire"}' },
    ]);
    const messages = new Set<string>();
    const off = store.watch(SERVICE_INSTANCE, {}, (ev) => {
      const f = cond(ev.object, 'Failed');
      if (ev.object.metadata.name === 'flaky' && f?.message) messages.add(f.message.replace(/ \(retrying in \d+ m?s\)$/, ''));
    });
    await store.create({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceInstance', metadata: meta('flaky'), spec: { serviceOfferingName: 'ext-db', servicePlanName: 'small', parameters: { size: 'm' } } });
    await waitFor(() => find(SERVICE_INSTANCE, 'flaky')?.status?.ready === 'True', 'the flaky instance to be Ready after retries');
    off();
    expect([...messages]).toEqual([
      'broker ext answered HTTP 200 with a malformed body: not JSON ("{\\"operation\\": \\"x\\"")',
      'broker ext answered HTTP 500 to PUT /v2/service_instances/' + find(SERVICE_INSTANCE, 'flaky')!.metadata.uid + ': database on fire',
    ]);
    expect(broker.instances.size).toBe(1);
  });

  it('an unreachable broker and a malformed catalog show in the ServiceBroker status', async () => {
    const closed = await freePort();
    await store.create({ apiVersion: 'services.kyma-local.dev/v1alpha1', kind: 'ServiceBroker', metadata: { name: 'gone' }, spec: { url: `http://127.0.0.1:${closed}` } });
    await waitFor(() => /unreachable/.test(cond(find(SERVICE_BROKER, 'gone', undefined), 'Failed')?.message ?? ''), 'the unreachable broker condition');
    expect(cond(find(SERVICE_BROKER, 'gone', undefined), 'Failed')!.message).toMatch(new RegExp(`^broker gone at http://127\\.0\\.0\\.1:${closed} is unreachable \\(ECONNREFUSED\\) \\(retrying in \\d+ ms\\)$`));

    broker.faults.set('GET /v2/catalog', [{ status: 200, body: '{"services": [{"name": "x"}]}' }]);
    await store.create({ apiVersion: 'services.kyma-local.dev/v1alpha1', kind: 'ServiceBroker', metadata: { name: 'ext2' }, spec: { url: broker.url, credentialsSecretRef: { name: 'ext-creds', namespace: 'kyma-system' } } });
    await waitFor(() => find(SERVICE_BROKER, 'ext2', undefined)?.status?.ready === 'True', 'the second broker to recover after a malformed catalog');
    expect(broker.faults.get('GET /v2/catalog')).toHaveLength(0);
  });
});
