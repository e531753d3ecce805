import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFunctionFolders } from './discover.js';
import { readFunctionFolder } from './read-folder.js';
import { scaffoldFunction } from './scaffold.js';
import { tempRoot, writeFiles } from './test-helpers.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
beforeAll(async () => ({ root, cleanup } = await tempRoot()));
afterAll(() => cleanup());

describe('scaffoldFunction', () => {
  it('writes a folder that reads back as a valid Function', async () => {
    const dir = path.join(root, 'scaffold', 'greeter');
    const files = await scaffoldFunction({ name: 'greeter', dir, namespace: 'dev', runtime: 'nodejs24' });
    expect(files).toEqual(['config.yaml', 'handler.js', 'package.json', 'handler.test.mjs'].map((f) => path.join(dir, f)));
    expect(parse(await readFile(files[0]!, 'utf8'))).toEqual({ schemaVersion: 'v1', name: 'greeter', namespace: 'dev', runtime: 'nodejs24', source: { sourceType: 'inline' } });
    expect(JSON.parse(await readFile(files[2]!, 'utf8'))).toEqual({ name: 'greeter', version: '0.0.1', dependencies: {} });
    const res = await readFunctionFolder(dir);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.function.metadata).toMatchObject({ name: 'greeter', namespace: 'dev' });
    expect(res.function.spec?.runtime).toBe('nodejs24');
    expect(String((res.function.spec?.source as { inline: { source: string } }).inline.source)).toContain('event.data');
  });

  it('keeps the commented examples valid once uncommented', async () => {
    const dir = path.join(root, 'scaffold', 'examples');
    const [config] = await scaffoldFunction({ name: 'examples', dir });
    const text = (await readFile(config!, 'utf8')).replace(/^# (?!Kyma)/gm, '');
    await writeFile(config!, text);
    const res = await readFunctionFolder(dir);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.function.spec?.runtime).toBe('nodejs22');
    expect(res.others.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Subscription/examples-order-created', 'APIRule/examples']);
  });

  it('refuses to overwrite an existing file and names it', async () => {
    const dir = await writeFiles(path.join(root, 'scaffold', 'taken'), { 'handler.js': '// mine\n' });
    await expect(scaffoldFunction({ name: 'taken', dir })).rejects.toThrow(`Refusing to overwrite ${path.join(dir, 'handler.js')}`);
    expect(await readFile(path.join(dir, 'handler.js'), 'utf8')).toBe('// mine\n');
    await expect(readFile(path.join(dir, 'config.yaml'))).rejects.toThrow(/ENOENT/);
  });

  it('rejects names that are not DNS-1123 labels', async () => {
    await expect(scaffoldFunction({ name: 'Hello_World', dir: path.join(root, 'x') })).rejects.toThrow('Invalid function name "Hello_World": must consist of lower case letters');
  });
});

describe('discoverFunctionFolders', () => {
  it('treats a root with config.yaml as a folder and otherwise scans direct subfolders', async () => {
    const ws = path.join(root, 'discover');
    await writeFiles(ws, {
      'a/config.yaml': 'x', 'b/config.yaml': 'x', 'c/handler.js': 'x', 'node_modules/m/config.yaml': 'x',
      '.hidden/config.yaml': 'x', 'deep/inner/config.yaml': 'x', 'single/config.yaml': 'x',
    });
    await mkdir(path.join(ws, 'empty'));
    expect(await discoverFunctionFolders([ws])).toEqual([path.join(ws, 'a'), path.join(ws, 'b'), path.join(ws, 'single')]);
    expect(await discoverFunctionFolders([path.join(ws, 'single'), path.join(ws, 'a'), ws])).toEqual([path.join(ws, 'a'), path.join(ws, 'b'), path.join(ws, 'single')]);
  });

  it('names a missing root', async () => {
    const missing = path.join(root, 'nope');
    await expect(discoverFunctionFolders([missing])).rejects.toThrow(`Cannot read functions folder ${missing}`);
  });
});
