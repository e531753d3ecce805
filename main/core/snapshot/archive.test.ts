import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packSnapshot, unpackSnapshot, verifySnapshot } from './archive.js';
import { SNAPSHOT_FORMAT, type SnapshotManifest } from './manifest.js';

const BASE: Omit<SnapshotManifest, 'entries'> = {
  format: SNAPSHOT_FORMAT,
  app: { name: 'kyma-local', version: '0.0.0-test' },
  createdAt: '2026-01-01T00:00:00.000Z',
  profile: { name: 'p', runtime: 'embedded', modules: [] },
  contents: {
    resources: {},
    functions: [],
    secretsIncluded: false,
    devFolders: [],
    npmEntries: [],
    events: { included: false, count: 0 },
    telemetry: { included: false, spans: 0, logRecords: 0 },
    images: 'none',
  },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-snap-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot archive', () => {
  it('round-trips files and in-tree symlinks, listing each with its sha256', async () => {
    const stage = path.join(dir, 'stage');
    await mkdir(path.join(stage, 'npm', 'k', 'node_modules', '.bin'), { recursive: true });
    await writeFile(path.join(stage, 'npm', 'k', 'node_modules', 'tool.js'), 'x');
    await symlink('../tool.js', path.join(stage, 'npm', 'k', 'node_modules', '.bin', 'tool'));
    await writeFile(path.join(stage, 'resources.json'), '[]');
    const file = path.join(dir, 's.kyma');
    const m = await packSnapshot(stage, BASE, file);
    expect(m.entries.map((e) => [e.path, e.type])).toEqual([
      ['npm/k/node_modules/.bin/tool', 'symlink'],
      ['npm/k/node_modules/tool.js', 'file'],
      ['resources.json', 'file'],
    ]);
    expect(await verifySnapshot(file)).toEqual(m);
    const out = path.join(dir, 'out');
    await mkdir(out);
    await unpackSnapshot(file, out);
    expect((await readdir(out)).sort()).toEqual(['manifest.json', 'npm', 'resources.json']);
  });

  it('finds an entry added after saving, and refuses links that point outside the snapshot', async () => {
    const stage = path.join(dir, 'stage');
    await mkdir(stage);
    await writeFile(path.join(stage, 'resources.json'), '[]');
    const good = path.join(dir, 'good.kyma');
    await packSnapshot(stage, BASE, good);
    // Same manifest, plus a link to the user's home that is not listed.
    await symlink('/etc/passwd', path.join(stage, 'evil'));
    const bad = path.join(dir, 'bad.kyma');
    await createTar({ gzip: true, file: bad, cwd: stage, portable: true }, ['manifest.json', 'resources.json', 'evil']);
    await expect(verifySnapshot(bad)).rejects.toThrow(/failed its integrity check — evil is not listed in the manifest/);
    const out = path.join(dir, 'out');
    await mkdir(out);
    await expect(unpackSnapshot(bad, out)).rejects.toThrow(/links pointing outside it \(evil → \/etc\/passwd\) — refused/);
  });
});
