import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findNatsServer, natsRelease, provisionNatsServer } from '../../main/core/embedded/nats/index.js';
import { createTestHome, statusJson, type TestHome } from '../helpers/cli.js';
import { pathWithoutNats, startMirror, type TestMirror } from './mirror.js';

let dir: string;
let mirror: TestMirror;
const savedMirror = process.env.KYMA_LOCAL_DOWNLOAD_MIRROR;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-provision-'));
  mirror = await startMirror(dir);
  process.env.KYMA_LOCAL_DOWNLOAD_MIRROR = mirror.url;
});
afterAll(async () => {
  if (savedMirror === undefined) delete process.env.KYMA_LOCAL_DOWNLOAD_MIRROR;
  else process.env.KYMA_LOCAL_DOWNLOAD_MIRROR = savedMirror;
  await mirror.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  mirror.corrupt = false;
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

function systemVersion(): string {
  const out = execFileSync(findNatsServer()!.path, ['--version'], { encoding: 'utf8' });
  return /v(\d+\.\d+\.\d+)/.exec(out)![1]!;
}

/** Everything left in the cache: the binary, downloads, unpack folders. */
function cacheContents(cacheDir: string): string[] {
  return ['bin', 'downloads'].flatMap((d) => (existsSync(path.join(cacheDir, d)) ? readdirSync(path.join(cacheDir, d)).map((f) => `${d}/${f}`) : []));
}

describe('provisionNatsServer', () => {
  it('downloads the pinned release from the mirror, verifies it against SHA256SUMS, unpacks it and checks --version', async () => {
    const cacheDir = path.join(dir, 'cache-ok');
    const progress: string[] = [];
    const got = await provisionNatsServer({ cacheDir, onProgress: (m) => progress.push(m) });
    const rel = natsRelease();
    expect(got).toEqual({ path: path.join(cacheDir, 'bin', 'nats-server'), version: systemVersion() });
    expect(execFileSync(got.path, ['--version'], { encoding: 'utf8' })).toContain(`v${systemVersion()}`);
    expect(mirror.requests.slice(-2)).toEqual([`/nats-io/nats-server/releases/download/v${rel.version}/SHA256SUMS`, `/nats-io/nats-server/releases/download/v${rel.version}/${rel.asset}`]);
    expect(progress[0]).toBe(`downloading nats-server v${rel.version} (${rel.asset})`);
    expect(progress.some((m) => m.startsWith(`verified ${rel.asset} (sha256 `))).toBe(true);
    expect(progress.at(-1)).toBe(`nats-server v${systemVersion()} installed at ${got.path}`);
    // Nothing but the binary stays behind: no archive, no unpack folder.
    expect(cacheContents(cacheDir)).toEqual(['bin/nats-server']);
  });

  it('rejects a corrupted archive and leaves nothing in the cache', async () => {
    mirror.corrupt = true;
    const cacheDir = path.join(dir, 'cache-corrupt');
    const rel = natsRelease();
    await expect(provisionNatsServer({ cacheDir })).rejects.toThrow(new RegExp(`^checksum mismatch for ${rel.asset.replace(/\./g, '\\.')} from .*: SHA256SUMS says [0-9a-f]{64}, the download is [0-9a-f]{64} — the file is corrupted or was tampered with; nothing was installed$`));
    expect(cacheContents(cacheDir)).toEqual([]);
  });

  it('offline: names the exact file to fetch and where to put the binary, without touching the network', async () => {
    const cacheDir = path.join(dir, 'cache-offline');
    const before = mirror.requests.length;
    const rel = natsRelease();
    await expect(provisionNatsServer({ cacheDir, offline: true })).rejects.toThrow(
      `nats-server not found and --offline forbids downloading it — download ${rel.asset} (nats-server release v${rel.version}, ${rel.assetUrl}), unpack it and put ${rel.folder}/nats-server at ${path.join(cacheDir, 'bin', 'nats-server')}`,
    );
    expect(mirror.requests.length).toBe(before);
  });

  it('no network: says the download failed and what to put in the cache', async () => {
    const cacheDir = path.join(dir, 'cache-nonet');
    const port = await closedPort();
    process.env.KYMA_LOCAL_DOWNLOAD_MIRROR = `http://127.0.0.1:${port}`;
    try {
      await expect(provisionNatsServer({ cacheDir })).rejects.toThrow(/^nats-server not found and downloading it from http:\/\/127\.0\.0\.1:\d+\/.*SHA256SUMS failed \(.*ECONNREFUSED.*\) — check the network or KYMA_LOCAL_DOWNLOAD_MIRROR, or download nats-server-v.* at .*cache-nonet\/bin\/nats-server$/);
    } finally {
      process.env.KYMA_LOCAL_DOWNLOAD_MIRROR = mirror.url;
    }
    expect(cacheContents(cacheDir)).toEqual([]);
  });
});

describe('kyma-local up on a fresh machine', () => {
  let home: TestHome;
  afterEach(async () => {
    await home?.cleanup();
  });

  it('without nats-server on PATH, fetches it through the mirror and comes up Ready', async () => {
    home = await createTestHome();
    home.env.PATH = await pathWithoutNats(home.dir);
    home.env.KYMA_LOCAL_DOWNLOAD_MIRROR = mirror.url;
    const profile = await home.profile({ modules: ['serverless'] });
    const r = await home.cli(['up', '--profile', profile]);
    expect(r.stderr).toMatch(/nats\s+Starting\s+downloading nats-server v/);
    expect(r.stderr).toMatch(/nats\s+Ready/);
    const st = await statusJson(home);
    expect(st.cluster?.phase).toBe('Ready');
    const nats = st.cluster?.components.find((c) => c.name === 'nats');
    expect(nats?.state).toBe('Ready');
    expect(existsSync(path.join(home.dir, 'cache', 'bin', 'nats-server'))).toBe(true);
  });

  it('with a corrupted download, up fails with the checksum mismatch and the cache stays empty', async () => {
    home = await createTestHome();
    home.env.PATH = await pathWithoutNats(home.dir);
    home.env.KYMA_LOCAL_DOWNLOAD_MIRROR = mirror.url;
    mirror.corrupt = true;
    const profile = await home.profile({ modules: ['serverless'] });
    const r = await home.cli(['up', '--profile', profile], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/cluster failed to come up: checksum mismatch for nats-server-v.*nothing was installed/);
    expect(cacheContents(path.join(home.dir, 'cache')).filter((f) => !f.startsWith('npm'))).toEqual([]);
  });
});
