import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchFunctionFolders, type FolderChange, type FolderWatcher } from '../../main/core/workspace/index.js';

const CONFIG = (name: string): string => `name: ${name}\nruntime: nodejs22\n`;
const HANDLER = (n: number): string => `module.exports = { main: () => ${n} };\n`;

/** Collects changes and lets a test wait for the next one that matches, without sleeping. */
class Changes {
  readonly all: FolderChange[] = [];
  private waiters: Array<{ match: (c: FolderChange) => boolean; resolve: (c: FolderChange) => void }> = [];

  push = (c: FolderChange): void => {
    this.all.push(c);
    const i = this.waiters.findIndex((w) => w.match(c));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(c);
  };

  next(match: (c: FolderChange) => boolean): Promise<FolderChange> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching change; got ${JSON.stringify(this.all)}`)), 20_000);
      this.waiters.push({ match, resolve: (c) => (clearTimeout(timer), resolve(c)) });
    });
  }

  for(dir: string): FolderChange[] {
    return this.all.filter((c) => c.dir === dir);
  }
}

let root = '';
let a = '';
let b = '';
const changes = new Changes();
let watcher: FolderWatcher | undefined;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kyma-local-watch-'));
  a = path.join(root, 'a');
  b = path.join(root, 'b');
  for (const [dir, name] of [[a, 'a'], [b, 'b']] as const) {
    await mkdir(dir);
    await writeFile(path.join(dir, 'config.yaml'), CONFIG(name));
    await writeFile(path.join(dir, 'handler.js'), HANDLER(0));
  }
  // A longer debounce than the default keeps the "one callback per burst" check robust on a busy machine.
  watcher = await watchFunctionFolders([root], changes.push, { debounceMs: 150 });
});

afterAll(async () => {
  await watcher?.close();
  await rm(root, { recursive: true, force: true });
});

describe('watchFunctionFolders', () => {
  it('knows the folders present at start', () => {
    expect(watcher!.folders()).toEqual([a, b]);
  });

  it('reports a plain write with the file and the time of the first event', async () => {
    const before = Date.now();
    const next = changes.next((c) => c.dir === a);
    await writeFile(path.join(a, 'handler.js'), HANDLER(1));
    const change = await next;
    expect(change.files).toEqual([path.join(a, 'handler.js')]);
    expect(change.removed).toBeUndefined();
    expect(change.at).toBeGreaterThanOrEqual(before);
  });

  it('reports a rename-over save the way editors write', async () => {
    const next = changes.next((c) => c.dir === b);
    const tmp = path.join(b, 'handler.js.tmp-123');
    await writeFile(tmp, HANDLER(2));
    await rename(tmp, path.join(b, 'handler.js'));
    const change = await next;
    expect(change.files).toContain(path.join(b, 'handler.js'));
    expect(change.files.every((f) => !f.endsWith('.tmp-123'))).toBe(true);
  });

  it('debounces a burst of saves into one callback and ignores node_modules', async () => {
    const startCount = changes.for(a).length;
    await mkdir(path.join(a, 'node_modules', 'dep'), { recursive: true });
    const next = changes.next((c) => c.dir === a);
    await Promise.all([
      writeFile(path.join(a, 'node_modules', 'dep', 'index.js'), '1'),
      ...[3, 4, 5, 6, 7].map((n) => writeFile(path.join(a, 'handler.js'), HANDLER(n))),
      writeFile(path.join(a, 'package.json'), '{}'),
      writeFile(path.join(a, 'README.md'), 'not watched'),
    ]);
    const change = await next;
    expect(change.files).toEqual([path.join(a, 'handler.js'), path.join(a, 'package.json')]);
    // A later change elsewhere proves the burst's debounce window has long closed.
    const sentinel = changes.next((c) => c.dir === b);
    await writeFile(path.join(b, 'handler.js'), HANDLER(8));
    await sentinel;
    expect(changes.for(a).length).toBe(startCount + 1);
  });

  it('reports a new folder once its config.yaml appears', async () => {
    const c = path.join(root, 'c');
    const next = changes.next((ch) => ch.dir === c);
    await mkdir(c);
    await writeFile(path.join(c, 'handler.js'), HANDLER(0));
    await writeFile(path.join(c, 'config.yaml'), CONFIG('c'));
    const change = await next;
    // handler.js may or may not share the window with config.yaml, depending on how the fs events batch.
    expect(change.files).toContain(path.join(c, 'config.yaml'));
    expect(change.files.every((f) => f === path.join(c, 'handler.js') || f === path.join(c, 'config.yaml'))).toBe(true);
    expect(watcher!.folders()).toEqual([a, b, c]);
  });

  it('reports a removed folder with removed: true and no files', async () => {
    const c = path.join(root, 'c');
    const next = changes.next((ch) => ch.dir === c && ch.removed === true);
    await rm(c, { recursive: true, force: true });
    const change = await next;
    expect(change).toMatchObject({ dir: c, files: [], removed: true });
    expect(watcher!.folders()).toEqual([a, b]);
  });
});

describe('watchFunctionFolders on a root that is itself a function folder', () => {
  it('reports changes in the root and in its subfolders', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kyma-local-watch-single-'));
    const local = new Changes();
    await writeFile(path.join(dir, 'config.yaml'), CONFIG('single'));
    await writeFile(path.join(dir, 'handler.js'), HANDLER(0));
    await mkdir(path.join(dir, 'lib'));
    const w = await watchFunctionFolders([dir], local.push);
    try {
      expect(w.folders()).toEqual([dir]);
      const first = local.next(() => true);
      await writeFile(path.join(dir, 'lib', 'util.js'), 'module.exports = 1;\n');
      expect(await first).toMatchObject({ dir, files: [path.join(dir, 'lib', 'util.js')] });
      const second = local.next(() => true);
      await writeFile(path.join(dir, 'config.yaml'), `${CONFIG('single')}replicas: 2\n`);
      expect(await second).toMatchObject({ dir, files: [path.join(dir, 'config.yaml')] });
      // Saves right after a callback fall inside chokidar's 50 ms per-path change throttle; none may be lost.
      for (let i = 1; i <= 5; i++) {
        const again = local.next(() => true);
        await writeFile(path.join(dir, 'handler.js'), HANDLER(i));
        expect(await again).toMatchObject({ dir, files: [path.join(dir, 'handler.js')] });
      }
    } finally {
      await w.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
