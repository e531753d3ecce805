import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cachedKindPath, downloadKind, findKind, kindPlatform, kindPreflight, preflightFailure, KIND_VERSION } from '../../main/core/kind/index.js';
import { dockerRunning, freePort } from './docker-helpers.js';

const running = await dockerRunning();
const noKindEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: '/nonexistent', ...extra });

describe('kind preflight', () => {
  let cache: string;
  beforeAll(async () => {
    cache = await mkdtemp(path.join(tmpdir(), 'kl-cache-'));
  });
  afterAll(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  it('with the engine unreachable: Docker fails, naming DOCKER_HOST and what to do', async () => {
    const sock = path.join(cache, 'no-engine.sock');
    const checks = await kindPreflight({ cacheDir: cache, env: noKindEnv({ DOCKER_HOST: `unix://${sock}` }) });
    const docker = checks.find((c) => c.name === 'Docker engine')!;
    expect(docker.status).toBe('fail');
    expect(docker.detail).toContain(`not reachable at unix://${sock}`);
    expect(docker.fix).toContain(`DOCKER_HOST=unix://${sock} is set`);
    expect(checks.find((c) => c.name === 'kind')?.status).toBe('warn');
    // Only failures block `up`; the missing kind is a warning (`up` downloads it).
    expect(preflightFailure(checks)).toMatch(/^Docker engine: not reachable at unix:\/\//);
    expect(preflightFailure(checks)).not.toContain('kind: no kind binary');
  });

  it.skipIf(!running)(`with the engine running: Docker, memory, CPUs and cgroup are reported, the missing kind names how to get it${running ? '' : ' (skipped: no Docker engine)'}`, async () => {
    const checks = await kindPreflight({ cacheDir: cache, env: noKindEnv(), profile: { modules: ['serverless'], kind: { clusterName: 'x', nodeImage: 'kindest/node:v1.34.3', portMappings: [] } } });
    expect(checks.map((c) => c.name)).toEqual(['Docker engine', 'Docker memory', 'Docker CPUs', 'cgroup version', 'kind', 'kind node image']);
    expect(checks[0]).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^Docker \d+\.\d+/) });
    const { os, arch } = kindPlatform();
    const kind = checks.find((c) => c.name === 'kind')!;
    expect(kind.status).toBe('warn');
    expect(kind.fix).toContain(`https://github.com/kubernetes-sigs/kind/releases/download/${KIND_VERSION}/kind-${os}-${arch}`);
    expect(kind.fix).toContain(cachedKindPath(cache));
    expect(checks.find((c) => c.name === 'kind node image')?.detail).toMatch(/@sha256:/);
  });

  it('rejects an unpinned node image in the profile', async () => {
    const checks = await kindPreflight({ cacheDir: cache, env: noKindEnv({ DOCKER_HOST: 'unix:///nonexistent.sock' }), profile: { modules: [], kind: { clusterName: 'x', nodeImage: 'kindest/node:v1.31.4', portMappings: [] } } });
    expect(checks.find((c) => c.name === 'kind node image')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not pinned by digest') });
  });
});

describe('kind binary download', () => {
  let server: Server;
  let base: string;
  let cache: string;
  let body = Buffer.from('#!/bin/sh\necho "kind v0.31.0 go1.24 linux/amd64"\n');
  let sum = '';
  const { os, arch } = kindPlatform();
  const asset = `/${KIND_VERSION}/kind-${os}-${arch}`;

  beforeAll(async () => {
    cache = await mkdtemp(path.join(tmpdir(), 'kl-kindcache-'));
    server = createServer((req, res) => {
      if (req.url === asset) res.end(body);
      else if (req.url === `${asset}.sha256sum`) res.end(sum);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await rm(cache, { recursive: true, force: true });
  });

  it('refuses a binary that does not match its published checksum and installs nothing', async () => {
    sum = `${'0'.repeat(64)}  kind-${os}-${arch}\n`;
    await expect(downloadKind({ cacheDir: cache, baseUrl: base })).rejects.toThrow(/does not match its published checksum.*nothing was installed/);
    expect(findKind(cache, { PATH: '/nonexistent' })).toBeUndefined();
  });

  it('installs a verified binary into the cache, where findKind finds it', async () => {
    sum = `${createHash('sha256').update(body).digest('hex')}  kind-${os}-${arch}\n`;
    const got = await downloadKind({ cacheDir: cache, baseUrl: base });
    expect(got).toEqual({ path: cachedKindPath(cache), source: 'download' });
    expect((await stat(got.path)).mode & 0o111).not.toBe(0);
    expect(findKind(cache, { PATH: '/nonexistent' })).toEqual({ path: cachedKindPath(cache), source: 'cache' });
    body = Buffer.from('changed');
  });

  it('offline: the error names the file to place in the cache', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const offline = await mkdtemp(path.join(tmpdir(), 'kl-offline-'));
    try {
      await expect(downloadKind({ cacheDir: offline, baseUrl: closed, timeoutMs: 2000 })).rejects.toThrow(new RegExp(`cannot download kind .*on an offline machine.*place it at ${cachedKindPath(offline).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      await rm(offline, { recursive: true, force: true });
    }
  });
});
