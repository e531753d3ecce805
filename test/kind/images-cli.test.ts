import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ImageListReport } from '../../main/core/api/index.js';
import { ARCHIVE_MANIFEST, dockerClient, readArchiveManifest, readVerifiedNodeImages } from '../../main/core/kind/index.js';
import { apiToken, CLI, createTestHome, statusJson, type TestHome } from '../helpers/cli.js';
import { BUSYBOX, dockerRunning, importBusyboxImage, pinnedNodeStandIn, REGISTRY_BIN, uniqueName } from './docker-helpers.js';

// `kyma-local images list|save|load` through the real CLI, a real daemon and the real Docker engine. No module
// image can be pulled here, so the profile asks for no modules and names two locally built images through its
// documented settings: `spec.kind.extraImages` (the user's own workloads) and `spec.kind.registryImage`, and a
// stand-in kind node image pinned by digest in `spec.kind.nodeImage` (pushed into a test registry once, so
// Docker knows its digest).
const running = await dockerRunning();
const skip = !running || !BUSYBOX || !existsSync(REGISTRY_BIN);
const why = skip ? ` (skipped: ${running ? `no busybox-static or ${REGISTRY_BIN}` : 'no Docker engine'})` : '';

describe.skipIf(skip)(`kyma-local images${why}`, () => {
  const docker = dockerClient();
  const repo = uniqueName('kl-images');
  const app = `${repo}/app:1`;
  const reg = `${repo}/registry:3`;
  const missing = `${repo}/missing:1`;
  let home: TestHome;
  let profile: string;
  let missingProfile: string;
  let node: { pinned: string; tagRef: string };
  const kindProfile = (name: string, extra: string[]) =>
    [
      'apiVersion: kyma-local.io/v1alpha1',
      'kind: ClusterProfile',
      `metadata:\n  name: ${name}`,
      'spec:',
      '  runtime: kind',
      '  modules: []',
      '  kind:',
      `    nodeImage: ${node.pinned}`,
      `    registryImage: ${reg}`,
      '    extraImages:',
      ...extra.map((i) => `      - ${i}`),
      '',
    ].join('\n');

  beforeAll(async () => {
    home = await createTestHome();
    node = await pinnedNodeStandIn(repo);
    await importBusyboxImage(app, ['sleep', '3600']);
    await importBusyboxImage(reg, ['httpd', '-f', '-p', '5000']);
    profile = join(home.dir, 'offline-demo.yaml');
    await writeFile(profile, kindProfile('offline-demo', [app]));
    missingProfile = join(home.dir, 'needs-more.yaml');
    await writeFile(missingProfile, kindProfile('needs-more', [app, missing]));
  }, 180_000);

  afterAll(async () => {
    await home?.cleanup();
    for (const image of [app, reg, ...(node ? [node.tagRef] : [])]) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
  });

  const cli = (args: string[]) => home.cli(args, { reject: false, timeout: 90_000 });
  const imageId = async (image: string) => (await docker.getImage(image).inspect()).Id;

  it('lists what the profile needs, where it comes from and whether Docker has it', async () => {
    const r = await cli(['images', 'list', '--profile', profile, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ImageListReport;
    expect(report.profile).toBe('offline-demo');
    expect(report.platform).toMatch(/^linux\/(amd64|arm64)$/);
    expect(report.images).toEqual([
      { image: app, sources: ['spec.kind.extraImages'], inEngine: true },
      { image: reg, sources: ['local registry'], inEngine: true },
      { image: node.tagRef, sources: ['kind node image'], inEngine: true },
    ]);
    expect(report.archive).toEqual({ file: join(home.dir, 'cache', 'images', `offline-demo-${report.platform.replace('/', '-')}.tar`), exists: false });

    const table = await cli(['images', 'list', '--profile', profile]);
    expect(table.stdout).toMatch(new RegExp(`${app.replace(/[./]/g, '\\$&')} +spec\\.kind\\.extraImages +yes +-`));
    expect(table.stdout).toContain('3 image(s): 3 in Docker, no archive');

    // The kind profile's list is the pinned module images, function runtimes and the registry.
    const kind = JSON.parse((await cli(['images', 'list', '--profile', 'kind', '--json'])).stdout) as ImageListReport;
    expect(kind.images.find((i) => i.image.endsWith('/function-runtime-nodejs22:1.13.0'))?.sources).toEqual(['function runtime nodejs22']);
    expect(kind.images.find((i) => i.image.endsWith('/serverless-operator:1.13.0'))?.sources).toEqual(['serverless']);
    expect(kind.images.find((i) => i.image === 'registry:3')?.sources).toEqual(['local registry']);

    const embedded = await cli(['images', 'list', '--profile', 'minimal']);
    expect(embedded.exitCode).toBe(1);
    expect(embedded.stderr).toContain('profile minimal has no spec.kind section: images are bundled for the kind runtime');
  });

  it('saves one archive, and loads it back after the images are gone from Docker', async () => {
    const file = join(home.dir, 'bundle.tar');
    const ids = { [app]: await imageId(app), [reg]: await imageId(reg), [node.tagRef]: await imageId(node.tagRef) };
    const save = await cli(['images', 'save', '--profile', profile, '-o', file]);
    expect(save.exitCode, save.stderr).toBe(0);
    expect(save.stderr).toContain(`present  ${app}`);
    expect(save.stderr).toContain(`present  ${reg}`);
    expect(save.stderr).toMatch(/saved +\S+bundle\.tar \(\d+\.\d MiB\)/);
    expect(save.stdout).toMatch(new RegExp(`^Saved ${file.replace(/[./]/g, '\\$&')} \\(\\d+\\.\\d MiB; 3 image\\(s\\) for linux/\\w+\\)`));
    expect(readdirSync(home.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);

    // One plain tar: our manifest first, then docker save's entries (so `docker load -i` takes it as it is).
    const entries = (await execa('tar', ['-tf', file])).stdout.split('\n');
    expect(entries[0]).toBe(ARCHIVE_MANIFEST);
    expect(entries).toContain('manifest.json');
    const manifest = readArchiveManifest(file);
    expect(manifest).toMatchObject({ format: 'kyma-local-images/v1', profile: 'offline-demo' });
    expect(manifest.images.map((i) => [i.image, i.id, i.sources])).toEqual([
      [app, ids[app], ['spec.kind.extraImages']],
      [reg, ids[reg], ['local registry']],
      [node.tagRef, ids[node.tagRef], ['kind node image']],
    ]);
    expect(manifest.nodeImage).toEqual({ pinned: node.pinned, image: node.tagRef, id: ids[node.tagRef], verifiedAt: manifest.createdAt });

    const listed = JSON.parse((await cli(['images', 'list', '--profile', profile, '-i', file, '--json'])).stdout) as ImageListReport;
    expect(listed.images.map((i) => i.inArchive)).toEqual([true, true, true]);
    expect(listed.archive).toMatchObject({ file, exists: true, platform: manifest.platform, createdAt: manifest.createdAt });

    for (const image of [app, reg, ids[node.tagRef]!]) await docker.getImage(image).remove({ force: true });
    expect(JSON.parse((await cli(['images', 'list', '--profile', profile, '-i', file, '--json'])).stdout).images.map((i: { inEngine: boolean }) => i.inEngine)).toEqual([false, false, false]);

    const load = await cli(['images', 'load', '-i', file]);
    expect(load.exitCode, load.stderr).toBe(0);
    expect(load.stderr).toContain(`loaded   ${app}`);
    expect(load.stdout).toContain(`Loaded 3 image(s) from ${file}`);
    expect(load.stdout).toContain('the local registry kind-registry is not running');
    expect(await imageId(app)).toBe(ids[app]);
    expect(await imageId(reg)).toBe(ids[reg]);
    // The node image is back under its tag without its digest (kind#4028); the daemon remembered save's check.
    expect((await docker.getImage(node.tagRef).inspect()).RepoDigests ?? []).toEqual([]);
    expect(readVerifiedNodeImages(join(home.dir, 'cache'))[node.pinned]).toEqual({ id: ids[node.tagRef], verifiedAt: manifest.createdAt });
  });

  it('saves to and loads from the cache by default', async () => {
    const save = await cli(['images', 'save', '--profile', profile]);
    expect(save.exitCode, save.stderr).toBe(0);
    // The node image came back from the archive without its digest: save trusts load's record of it.
    expect(save.stderr).toContain(`verified ${node.tagRef} is ${await imageId(node.tagRef)}, the image ${node.pinned} names (by the record of an earlier images load; Docker lost the digest)`);
    const file = /^Saved (\S+) /.exec(save.stdout)![1]!;
    expect(file.startsWith(join(home.dir, 'cache', 'images', 'offline-demo-linux-'))).toBe(true);
    await docker.getImage(app).remove({ force: true });
    const load = await cli(['images', 'load', '--profile', profile]);
    expect(load.exitCode, load.stderr).toBe(0);
    expect(load.stdout).toContain(`from ${file}`);
    expect((await docker.getImage(app).inspect()).RepoTags).toContain(app);
  });

  it('names every image it cannot get, and how to get them, writing nothing', async () => {
    const file = join(home.dir, 'never.tar');
    const offline = await cli(['images', 'save', '--profile', missingProfile, '-o', file, '--offline']);
    expect(offline.exitCode).toBe(1);
    expect(offline.stderr).toContain(`1 image(s) for linux/`);
    expect(offline.stderr).toContain(`  - ${missing}\n`);
    expect(offline.stderr).toContain('run without --offline to pull them');
    // Online it tries to pull: this machine has no route to a registry (and the repository does not exist anyway).
    const online = await cli(['images', 'save', '--profile', missingProfile, '-o', file]);
    expect(online.exitCode).toBe(1);
    expect(online.stderr).toContain(`pulling  ${missing}`);
    expect(online.stderr).toMatch(new RegExp(`  - ${missing.replace(/[./]/g, '\\$&')} \\(.+\\)`));
    expect(online.stderr).toContain('on a machine with internet and bring the archive here (`kyma-local images load -i <file>`)');
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
  });

  it('the daemon routes take absolute paths only (its working directory is not the user\'s)', async () => {
    const url = (await statusJson(home)).daemon!.url;
    const headers = { authorization: `Bearer ${apiToken(home)}`, 'content-type': 'application/json' };
    const save = await fetch(`${url}/kl/v1/images/save`, { method: 'POST', headers, body: JSON.stringify({ profile, file: 'bundle.tar' }) });
    expect(save.status).toBe(400);
    expect(((await save.json()) as { message: string }).message).toBe('file must be an absolute path, got "bundle.tar"');
    const list = await fetch(`${url}/kl/v1/images?archive=x.tar`, { headers });
    expect(list.status).toBe(400);
    const offline = await fetch(`${url}/kl/v1/images/save`, { method: 'POST', headers, body: JSON.stringify({ offline: 'yes' }) });
    expect(((await offline.json()) as { message: string }).message).toBe('offline must be a boolean');
    expect((await fetch(`${url}/kl/v1/images`)).status).toBe(401);
  });

  it('refuses a truncated, corrupt or foreign archive, naming the file', async () => {
    const good = join(home.dir, 'good.tar');
    expect((await cli(['images', 'save', '--profile', profile, '-o', good])).exitCode).toBe(0);
    const bytes = await readFile(good);

    // Cut inside an entry, and cut exactly at an entry boundary (which a tar reader alone takes for a short archive).
    const truncated = join(home.dir, 'truncated.tar');
    for (const cut of [Math.floor(bytes.length / 2) + 100, 512 * Math.floor(bytes.length / 2 / 512)]) {
      await writeFile(truncated, bytes.subarray(0, cut));
      const t = await cli(['images', 'load', '-i', truncated]);
      expect(t.exitCode).toBe(1);
      // A cut that ends in zero blocks (inside a layer's own tar padding) passes the tail check; the walk catches it.
      expect(t.stderr).toMatch(new RegExp(`Error: ${truncated.replace(/[./]/g, '\\$&')} is corrupt or truncated: (it does not end with tar's end-of-archive blocks \\(${cut} bytes\\) — it was cut short|Truncated input \\(needed \\d+ more bytes)`));
    }

    // A damaged tar header of docker save's first entry (right after our manifest entry).
    const corrupt = join(home.dir, 'corrupt.tar');
    const damaged = Buffer.from(bytes);
    const firstDockerHeader = 512 + Math.ceil(JSON.stringify(readArchiveManifest(good), null, 2).length / 512) * 512;
    damaged.write('garbage!', firstDockerHeader + 100, 'latin1');
    await writeFile(corrupt, damaged);
    const c = await cli(['images', 'load', '-i', corrupt]);
    expect(c.exitCode).toBe(1);
    expect(c.stderr).toContain(`Error: ${corrupt} is corrupt or truncated:`);

    // An image config changed after saving (tar checksums still fine) no longer hashes to the recorded id.
    const tampered = join(home.dir, 'tampered.tar');
    const edited = Buffer.from(bytes);
    // docker save names an image's config `<id hex>.json`: its tar header starts a 512-byte block, its data the next.
    const configName = `${readArchiveManifest(good).images[0]!.id.slice('sha256:'.length)}.json`;
    let header = edited.indexOf(configName);
    while (header >= 0 && header % 512 !== 0) header = edited.indexOf(configName, header + 1);
    expect(header).toBeGreaterThan(0);
    const at = edited.indexOf('"architecture":"', header + 512);
    expect(at - header).toBeLessThan(512 + 4096);
    edited.write('"architecture":"X', at, 'latin1');
    await writeFile(tampered, edited);
    const h = await cli(['images', 'load', '-i', tampered]);
    expect(h.exitCode).toBe(1);
    expect(h.stderr).toMatch(new RegExp(`Error: ${tampered.replace(/[./]/g, '\\$&')} is corrupt or truncated: the config of \\S+ hashes to sha256:[0-9a-f]{64}, the manifest says sha256:`));

    const plain = join(home.dir, 'plain.tar');
    await execa('docker', ['save', '-o', plain, app]);
    const p = await cli(['images', 'load', '-i', plain]);
    expect(p.exitCode).toBe(1);
    expect(p.stderr).toContain(`Error: ${plain} is not a kyma-local images archive`);

    const gone = await cli(['images', 'load', '-i', join(home.dir, 'nope.tar')]);
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr).toContain('nope.tar not found');
  });
});

describe('kyma-local images without a Docker engine', () => {
  it('names Docker and how to fix it (the daemon sees DOCKER_HOST at a socket nobody serves)', async () => {
    const home = await createTestHome();
    try {
      const env = { ...home.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
      for (const cmd of [['list'], ['save', '--offline']]) {
        const r = await execa(process.execPath, [CLI, 'images', ...cmd, '--profile', 'kind'], { env, cwd: home.dir, reject: false, timeout: 60_000 });
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toContain('Error: the Docker engine is not reachable at unix:///nonexistent/docker.sock');
        expect(r.stderr).toContain('DOCKER_HOST=unix:///nonexistent/docker.sock is set — check it points at a running engine, or unset it');
      }
    } finally {
      await home.cleanup();
    }
  });
});
