import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RESOURCE_TYPES, silentLogger } from '../../main/core/model/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { loadProfile, BUILTIN_PROFILES_DIR } from '../../main/core/profiles/index.js';
import { dockerClient, KindRuntime, KIND_VERSION, cachedKindPath, recordVerifiedNodeImage } from '../../main/core/kind/index.js';
import type { ProgressEvent } from '../../main/core/runtime.js';
import { BUSYBOX, dockerRunning, freePort, importBusyboxImage, uniqueName } from './docker-helpers.js';

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

  it.skipIf(!running || !BUSYBOX)(`gives kind the plain node tag only for the image images load verified${running ? '' : ' (skipped: no Docker engine)'}`, async () => {
    // A stand-in kind that keeps the config it is given and fails; the node image is a unique stand-in pinned by a
    // made-up digest Docker cannot resolve — as after `images load` (kind#4028).
    const fakeKind = path.join(dir, 'fake-kind');
    const seen = path.join(dir, 'kind-config.yaml');
    await writeFile(fakeKind, `#!/bin/sh\ncat > '${seen}'\necho 'ERROR: failed to create cluster: stand-in kind' >&2\nexit 1\n`);
    await chmod(fakeKind, 0o755);
    const tagRef = `${uniqueName('kl-kindrt')}/node:v1.34.3`;
    const pinned = `${tagRef}@sha256:${'c'.repeat(64)}`;
    await importBusyboxImage(tagRef, ['sleep', '3600']);
    const docker = dockerClient();
    try {
      const base = await loadProfile('kind', { searchDirs: [BUILTIN_PROFILES_DIR] });
      const profile = { ...base, kind: { ...base.kind!, clusterName: uniqueName('kl-kindrt'), nodeImage: pinned } };
      const up = async (): Promise<{ image: string; events: ProgressEvent[] }> => {
        const rt = runtime({ ...process.env, KYMA_LOCAL_KIND: fakeKind });
        const events: ProgressEvent[] = [];
        await expect(rt.up(profile, (e) => events.push(e))).rejects.toThrow();
        return { image: /image: (\S+)/.exec(await readFile(seen, 'utf8'))![1]!, events };
      };
      // No record: the pin, and why.
      const before = await up();
      expect(before.image).toBe(pinned);
      expect(before.events.some((e) => e.component === 'cluster' && e.message?.includes('without its digest and no `kyma-local images load` verified it'))).toBe(true);
      // Recorded as verified (what images load writes): the plain tag, and why.
      const id = (await docker.getImage(tagRef).inspect()).Id;
      recordVerifiedNodeImage(path.join(dir, 'cache'), pinned, id, new Date().toISOString());
      const after = await up();
      expect(after.image).toBe(tagRef);
      expect(after.events.some((e) => e.component === 'cluster' && e.message?.includes(`node image ${tagRef}`) && e.message.includes('kind#4028'))).toBe(true);
    } finally {
      await docker.getImage(tagRef).remove({ force: true }).catch(() => undefined);
    }
  });
});
