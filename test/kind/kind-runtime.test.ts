import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RESOURCE_TYPES, silentLogger } from '../../main/core/model/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { loadProfile, BUILTIN_PROFILES_DIR } from '../../main/core/profiles/index.js';
import { KindRuntime, KIND_VERSION, cachedKindPath } from '../../main/core/kind/index.js';
import type { ProgressEvent } from '../../main/core/runtime.js';
import { dockerRunning, freePort } from './docker-helpers.js';

// KindRuntime.up up to the point this machine allows: preflight against the real engine, then the kind binary.
const running = await dockerRunning();

describe('KindRuntime.up without a cluster toolchain', () => {
  let dir: string;
  let store: FileStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kl-kindrt-'));
    store = await createFileStore({ dir: path.join(dir, 'store'), types: RESOURCE_TYPES });
  });
  afterAll(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const runtime = (env: NodeJS.ProcessEnv): KindRuntime =>
    new KindRuntime({ stateDir: path.join(dir, 'kind'), cacheDir: path.join(dir, 'cache'), store, types: RESOURCE_TYPES, log: silentLogger, env });

  it('with Docker unreachable: fails in preflight, naming Docker and the fix', async () => {
    const profile = await loadProfile('kind', { searchDirs: [BUILTIN_PROFILES_DIR] });
    const rt = runtime({ PATH: '/nonexistent', DOCKER_HOST: `unix://${path.join(dir, 'none.sock')}` });
    const events: ProgressEvent[] = [];
    await expect(rt.up(profile, (e) => events.push(e))).rejects.toThrow(/^Docker engine: not reachable at unix:\/\/.*none\.sock.*DOCKER_HOST=.* is set/);
    expect(rt.status()).toMatchObject({ runtime: 'kind', phase: 'Stopped', components: [{ name: 'preflight', state: 'Failed' }] });
    expect(events.map((e) => `${e.component} ${e.state}`)).toEqual(['preflight Starting', 'preflight Failed']);
  });

  it.skipIf(!running)(`with Docker running and no kind binary (offline): fails naming how to get kind${running ? '' : ' (skipped: no Docker engine)'}`, async () => {
    const profile = await loadProfile('kind', { searchDirs: [BUILTIN_PROFILES_DIR] });
    const rt = runtime({ PATH: '/nonexistent', KYMA_LOCAL_KIND_BASE_URL: `http://127.0.0.1:${await freePort()}` });
    const err = await rt.up(profile, () => {}).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^kind is not installed and could not be downloaded/);
    expect(err?.message).toContain(`install kind ${KIND_VERSION}`);
    expect(err?.message).toContain(cachedKindPath(path.join(dir, 'cache')));
    expect(rt.status().components.find((c) => c.name === 'preflight')?.state).toBe('Failed');
  });
});
