import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect, StringCodec } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedRuntime, type EmbeddedRuntime } from '../../main/core/embedded/index.js';
import { RESOURCE_TYPES, silentLogger } from '../../main/core/model/index.js';
import type { ComponentStatus, ProgressEvent, ResourceChange } from '../../main/core/runtime.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { alive, fakeModule, writeProfile, type FakeModule } from './runtime-helpers.js';

let dir: string;
let store: FileStore;
const runtimes: EmbeddedRuntime[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-runtime-'));
  store = await createFileStore({ dir: path.join(dir, 'resources'), types: RESOURCE_TYPES, log: silentLogger });
});
afterAll(async () => {
  for (const r of runtimes) await r.down();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function newRuntime(name: string, made: FakeModule[] = [], fail?: string): EmbeddedRuntime {
  const rt = createEmbeddedRuntime({ stateDir: path.join(dir, name), store, log: silentLogger, modules: { eventing: fakeModule('eventing', made, fail) } });
  runtimes.push(rt);
  return rt;
}

const component = (rt: EmbeddedRuntime, name: string): ComponentStatus => rt.status().components.find((c) => c.name === name)!;

describe('embedded runtime lifecycle', () => {
  const made: FakeModule[] = [];
  const events: ProgressEvent[] = [];
  let rt: EmbeddedRuntime;

  it('brings up nats and the registered module; shows unregistered and disabled modules', async () => {
    rt = newRuntime('main', made);
    const profile = await writeProfile(dir, 'it', ['eventing', 'serverless'], '  retention: { keepStateOnDown: false }');
    const status = await rt.up(profile, (ev) => events.push(ev));
    expect(status).toMatchObject({ runtime: 'embedded', phase: 'Ready', profile: 'it', profileSource: profile.source });

    const nats = status.components.find((c) => c.name === 'nats')!;
    expect(nats).toMatchObject({ kind: 'process', state: 'Ready', restarts: 0 });
    expect(alive(nats.pid!)).toBe(true);
    expect(nats.urls?.nats).toBe(`nats://127.0.0.1:${nats.ports!.client}`);
    // The monitor answers any Host, so it is bound only when the profile sets ports.natsMonitor.
    expect(nats.urls?.monitor).toBeUndefined();
    expect(made[0]!.natsUrl).toBe(nats.urls!.nats);

    expect(component(rt, 'eventing')).toMatchObject({ kind: 'module', state: 'Ready', pid: made[0]!.child!.status().pid });
    expect(component(rt, 'serverless')).toEqual({ name: 'serverless', kind: 'module', state: 'NotImplemented', message: 'not implemented yet in the embedded runtime' });
    expect(component(rt, 'telemetry').state).toBe('Disabled');
    expect(events.filter((e) => e.component === 'eventing').map((e) => e.state)).toEqual(['Pending', 'Starting', 'Ready']);
    expect(events.filter((e) => e.component === 'nats').map((e) => e.state)).toEqual(['Pending', 'Starting', 'Ready']);
    expect(events.filter((e) => e.component === 'serverless').map((e) => e.state)).toEqual(['Pending', 'NotImplemented']);
    expect(status.notes?.join('\n')).toMatch(/Not implemented yet in the embedded runtime: serverless/);
  });

  it('serves JetStream to a nats client', async () => {
    const nc = await connect({ servers: component(rt, 'nats').urls!.nats });
    try {
      await (await nc.jetstreamManager()).streams.add({ name: 'rt', subjects: ['rt.>'] });
      const ack = await nc.jetstream().publish('rt.x', StringCodec().encode('1'));
      expect(ack.stream).toBe('rt');
    } finally {
      await nc.close();
    }
  });

  it('up again with the same profile is a no-op; another profile is refused', async () => {
    const pid = component(rt, 'nats').pid;
    const same = await writeProfile(dir, 'it', ['eventing', 'serverless'], '  retention: { keepStateOnDown: false }');
    expect((await rt.up(same, () => {})).components.find((c) => c.name === 'nats')!.pid).toBe(pid);
    expect(made).toHaveLength(1);
    const other = await writeProfile(dir, 'other', ['serverless']);
    await expect(rt.up(other, () => {})).rejects.toThrow('cluster is already up with profile it — run `kyma-local down` first');
  });

  it('restarts nats-server after SIGKILL', async () => {
    const before = component(rt, 'nats').pid!;
    const restarted = new Promise<void>((resolve) => {
      const off = rt.onProgress((ev) => {
        if (ev.component === 'nats' && ev.state === 'Ready') {
          off();
          resolve();
        }
      });
    });
    process.kill(before, 'SIGKILL');
    await restarted;
    const after = component(rt, 'nats');
    expect(after).toMatchObject({ state: 'Ready', restarts: 1 });
    expect(after.pid).not.toBe(before);
    expect(rt.status().phase).toBe('Ready');
  });

  it('down stops every child and removes JetStream data when keepStateOnDown is false', async () => {
    const pids = [component(rt, 'nats').pid!, made[0]!.child!.status().pid!];
    expect(existsSync(path.join(dir, 'main', 'jetstream'))).toBe(true);
    const downEvents: ProgressEvent[] = [];
    await rt.down((ev) => downEvents.push(ev));
    expect(pids.filter(alive)).toEqual([]);
    expect(rt.status()).toMatchObject({ phase: 'Stopped', components: [] });
    expect(downEvents.map((e) => `${e.component}:${e.state}`)).toEqual(['eventing:Stopping', 'eventing:Stopped', 'nats:Stopping', 'nats:Stopped']);
    expect(existsSync(path.join(dir, 'main', 'jetstream'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, 'main', 'children.json'), 'utf8')).children).toEqual([]);
  });
});

describe('embedded runtime failures', () => {
  it('a failing module rejects up and leaves nats running in a Degraded cluster', async () => {
    const rt = newRuntime('fail', [], 'cannot reach the backend');
    const profile = await writeProfile(dir, 'fail', ['eventing']);
    await expect(rt.up(profile, () => {})).rejects.toThrow('Module eventing failed: cannot reach the backend');
    expect(rt.status().phase).toBe('Degraded');
    expect(component(rt, 'eventing')).toMatchObject({ state: 'Failed', message: 'cannot reach the backend' });
    const natsPid = component(rt, 'nats').pid!;
    expect(alive(natsPid)).toBe(true);
    await rt.down();
    expect(alive(natsPid)).toBe(false);
  });

  it('a taken nats port fails up with the holder named', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const rt = newRuntime('conflict');
      const profile = await writeProfile(dir, 'conflict', ['eventing']);
      profile.ports.nats = port;
      await expect(rt.up(profile, () => {})).rejects.toThrow(`port ${port} in use (pid ${process.pid}, `);
      expect(rt.status()).toMatchObject({ phase: 'Failed' });
      expect(component(rt, 'nats').message).toMatch(/set ports\.nats in the profile \(0 = any free port\)/);
      // A cluster whose up failed with nothing running does not block the next up, whatever its profile.
      const retry = await writeProfile(dir, 'retry', ['eventing']);
      expect((await rt.up(retry, () => {})).phase).toBe('Ready');
      await rt.down();
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});

describe('resources through the runtime', () => {
  it('apply creates then updates, delete removes, watch sees all three', async () => {
    const rt = newRuntime('res');
    const changes: ResourceChange[] = [];
    const stop = rt.watch((c) => changes.push(c));
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: '1' } };
    const created = await rt.apply(cm);
    const updated = await rt.apply({ ...cm, data: { a: '2' } });
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    await expect(rt.apply({ ...cm, metadata: { ...cm.metadata, resourceVersion: created.metadata.resourceVersion! } })).rejects.toThrow(/modified/);
    await rt.delete(cm);
    await expect(rt.apply({ apiVersion: 'v9', kind: 'Nope', metadata: { name: 'x' } })).rejects.toThrow(/no matches for kind "Nope"/);
    stop();
    expect(changes.filter((c) => c.object.metadata.name === 'cfg').map((c) => [c.type, c.object.data?.a])).toEqual([
      ['ADDED', '1'],
      ['MODIFIED', '2'],
      ['DELETED', '2'],
    ]);
  });
});
