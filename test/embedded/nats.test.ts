import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect, StringCodec } from 'nats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/model/index.js';
import { findPortHolder, resolveNatsServer, startNats } from '../../main/core/embedded/nats/index.js';
import { createSupervisor, type Supervisor } from '../../main/core/embedded/supervisor/index.js';

let dir: string;
let sup: Supervisor;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-nats-'));
  sup = createSupervisor({ stateDir: dir, log: silentLogger });
});
afterEach(async () => {
  await sup.stopAll();
  await rm(dir, { recursive: true, force: true });
});

describe('startNats', () => {
  it('starts nats-server with JetStream on a free loopback port', async () => {
    const nats = await startNats({ supervisor: sup, stateDir: dir, port: 0, monitorPort: 0, log: silentLogger });
    expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
    expect(nats.process.status()).toMatchObject({ state: 'Ready', restarts: 0 });

    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'probe', subjects: ['probe.>'] });
      const ack = await nc.jetstream().publish('probe.a', StringCodec().encode('hello'));
      expect(ack).toMatchObject({ stream: 'probe', seq: 1 });
      const msg = await jsm.streams.getMessage('probe', { seq: 1 });
      expect(StringCodec().decode(msg.data)).toBe('hello');
    } finally {
      await nc.close();
    }
    const health = await fetch(`${nats.monitorUrl}/healthz?js-enabled-only=true`);
    expect(health.status).toBe(200);
  });

  it('binds no monitor unless asked (it answers any Host and origin), and is still Ready only with JetStream', async () => {
    const nats = await startNats({ supervisor: sup, stateDir: dir, port: 0, log: silentLogger });
    expect(nats.monitorUrl).toBeUndefined();
    const args = readFileSync(`/proc/${nats.process.status().pid}/cmdline`, 'utf8').split('\0');
    expect(args).not.toContain('-m');
    const nc = await connect({ servers: nats.url });
    try {
      expect((await (await nc.jetstreamManager()).getAccountInfo()).limits).toBeDefined();
    } finally {
      await nc.close();
    }
  });

  it('names the process holding a fixed port and how to fix it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const comm = readFileSync('/proc/self/comm', 'utf8').trim();
      expect(await findPortHolder(port)).toMatchObject({ pid: process.pid, name: comm });
      await expect(startNats({ supervisor: sup, stateDir: dir, port, log: silentLogger })).rejects.toThrow(
        `Failed to start nats-server: port ${port} in use (pid ${process.pid}, ${comm}) — stop that process or set ports.nats in the profile (0 = any free port)`,
      );
      expect(sup.list()).toEqual([]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
  it('reports a nats-server that dies on start with its last stderr', async () => {
    const fake = path.join(dir, 'nats-server');
    await writeFile(fake, '#!/bin/sh\necho "[FTL] cannot open store dir" >&2\nexit 1\n', { mode: 0o755 });
    await expect(startNats({ supervisor: sup, stateDir: dir, port: 0, binary: fake, log: silentLogger })).rejects.toThrow(
      'Failed to start nats-server: exited with code 1 before it became ready; last stderr: [FTL] cannot open store dir',
    );
  });
});

describe('resolveNatsServer', () => {
  const saved = process.env.KYMA_LOCAL_NATS_SERVER;
  afterEach(() => {
    if (saved === undefined) delete process.env.KYMA_LOCAL_NATS_SERVER;
    else process.env.KYMA_LOCAL_NATS_SERVER = saved;
  });

  it('prefers the profile, then the env var, and explains how to install when missing', () => {
    const onPath = resolveNatsServer();
    expect(path.basename(onPath)).toBe('nats-server');
    expect(resolveNatsServer(onPath)).toBe(onPath);
    process.env.KYMA_LOCAL_NATS_SERVER = '/nonexistent/nats-server';
    expect(() => resolveNatsServer()).toThrow(/KYMA_LOCAL_NATS_SERVER points at "\/nonexistent\/nats-server".*apt-get install nats-server.*brew install nats-server/);
    expect(resolveNatsServer(onPath)).toBe(onPath);
  });
});
