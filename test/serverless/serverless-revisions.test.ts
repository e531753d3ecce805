import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerlessModule } from '../../main/core/embedded/serverless/index.js';
import { fetchViaHost, nodeSpec, PRELOAD, startHarness, type Harness } from './harness.js';
import { SERVER_ENTRY } from '../function-runtime/worker.js';
import { SAVED_AT_ANNOTATION } from '../../main/core/workspace/index.js';

let h: Harness;

beforeAll(async () => {
  // --offline: dependency tests must not reach a registry.
  h = await startHarness({ npmFlags: ['--offline'] });
});
afterAll(async () => {
  await h?.close();
});

const version = (v: number): string => `module.exports = { main: () => "v${v}" };`;

describe('serverless controller: revisions', () => {
  it('keeps the old revision serving when an update is broken, reports file:line in the source folder, and recovers', async () => {
    const annotations = { 'kyma-local.io/source-dir': '/home/dev/functions/orders' };
    await h.apply('orders', nodeSpec(version(1)), { annotations });
    const broken = [
      { source: 'module.exports = { main: () => {\n  return "x" +;\n} };', message: /SyntaxError|Unexpected token/, line: 2 },
      { source: '// loads, then throws\nconst x = 1;\nthrow new Error("boom at load");\n', message: /boom at load/, line: 3 },
      { source: 'module.exports = { notMain: () => 1 };', message: /main/, line: null },
    ];
    for (const b of broken) {
      await h.apply('orders', nodeSpec(b.source), { annotations });
      const cond = h.condition('orders', 'ConfigurationReady');
      expect(cond).toMatchObject({ status: 'False', reason: 'SourceUpdateFailed' });
      expect(cond?.message).toMatch(b.message);
      expect(cond?.message).toContain('revision 1 keeps serving');
      expect(h.condition('orders', 'Running')?.status).toBe('True');
      expect(h.fn('orders').status?.revision).toBe(1);
      expect((await h.invoke('orders')).text).toBe('v1');
      const failed = h.module.api.revisions('default', 'orders').at(-1)!;
      expect(failed.outcome).toBe('failed');
      expect(failed.error?.message).toMatch(b.message);
      if (b.line !== null) {
        expect(failed.error).toMatchObject({ file: '/home/dev/functions/orders/handler.js', line: b.line });
        expect(cond?.message).toContain(`/home/dev/functions/orders/handler.js:${b.line}`);
      }
    }
    await h.apply('orders', nodeSpec(version(2)), { annotations });
    expect(h.condition('orders', 'ConfigurationReady')).toMatchObject({ status: 'True', reason: 'SourceUpdated' });
    expect((await h.invoke('orders')).text).toBe('v2');
    const revs = h.module.api.revisions('default', 'orders');
    expect(revs.map((r) => r.outcome)).toEqual(['superseded', 'failed', 'failed', 'failed', 'ready']);
    expect(revs.map((r) => r.number)).toEqual([1, 2, 3, 4, 5]);
    expect(revs[4]?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('measures save→ready latency from the saved-at annotation', async () => {
    const savedAt = Date.now() - 60_000;
    await h.apply('timed', nodeSpec(version(1)), { annotations: { 'kyma-local.io/saved-at': String(savedAt) } });
    const r = h.module.api.revisions('default', 'timed')[0]!;
    expect(r.latencyMs).toBe(Date.parse(r.readyAt!) - savedAt);
  });

  it('loses no request while 5 hot updates switch revisions under load', async () => {
    await h.apply('hot', nodeSpec(version(0), { replicas: 2 }));
    const { url, host } = h.module.api.functionUrl('default', 'hot');
    let running = true;
    const results = { ok: 0, failed: [] as string[], versions: new Set<string>() };
    const client = async (): Promise<void> => {
      while (running) {
        try {
          const r = await fetchViaHost(url, host, { method: 'POST', body: '{"n":1}' });
          if (r.status === 200) {
            results.ok++;
            results.versions.add(r.text);
          } else results.failed.push(`${r.status} ${r.text}`);
        } catch (err) {
          results.failed.push((err as Error).message);
        }
      }
    };
    const sequential = client();
    const concurrent = Array.from({ length: 4 }, () => client());
    for (let v = 1; v <= 5; v++) {
      await h.apply('hot', nodeSpec(version(v), { replicas: 2 }));
      expect(h.fn('hot').status?.revision).toBe(v + 1);
    }
    const before = results.ok;
    await h.until(() => results.ok > before + 10, 'requests after the last switch');
    running = false;
    await Promise.all([sequential, ...concurrent]);
    expect(results.failed).toEqual([]);
    expect(results.versions).toContain('v5');
    expect(results.ok).toBeGreaterThan(50);
  });

  it('installs dependencies into the shared cache (file: package) and reports an install failure', async () => {
    // A package.json without dependencies is the fast path: no npm run, no cache folder.
    await h.apply('nodeps', { runtime: 'nodejs20', source: { inline: { source: version(1), dependencies: '{"name":"nodeps","dependencies":{}}' } } });
    expect((await h.invoke('nodeps')).text).toBe('v1');
    const cacheRoot = path.join(h.stateDir, '..', 'cache', 'npm');
    expect(existsSync(cacheRoot)).toBe(false);

    const pkgDir = path.join(h.dir, 'local-greeter');
    await mkdir(pkgDir, { recursive: true });
    await writeFile(path.join(pkgDir, 'package.json'), JSON.stringify({ name: 'local-greeter', version: '1.0.0', main: 'index.js' }));
    await writeFile(path.join(pkgDir, 'index.js'), 'module.exports = (n) => `greetings, ${n}`;');
    const deps = JSON.stringify({ name: 'deps', version: '1.0.0', dependencies: { 'local-greeter': `file:${pkgDir}` } });
    const src = 'const greet = require("local-greeter"); module.exports = { main: () => greet("kyma") };';
    await h.apply('deps', { runtime: 'nodejs20', source: { inline: { source: src, dependencies: deps } } });
    expect(h.condition('deps', 'Running')?.status).toBe('True');
    expect((await h.invoke('deps')).text).toBe('greetings, kyma');
    // A second function with the same package.json reuses the cache folder.
    await h.apply('deps2', { runtime: 'nodejs20', source: { inline: { source: src, dependencies: deps } } });
    expect((await h.invoke('deps2')).text).toBe('greetings, kyma');
    expect(readdirSync(cacheRoot)).toHaveLength(1);

    const bad = JSON.stringify({ name: 'deps', version: '1.0.0', dependencies: { 'kyma-local-no-such-package-4711': '1.0.0' } });
    await h.apply('deps', { runtime: 'nodejs20', source: { inline: { source: src, dependencies: bad } } });
    const cond = h.condition('deps', 'ConfigurationReady');
    expect(cond).toMatchObject({ status: 'False', reason: 'SourceUpdateFailed' });
    expect(cond?.message).toMatch(/npm install failed.*(ENOTCACHED|offline|kyma-local-no-such-package-4711)/s);
    expect(cond?.message).toContain('revision 1 keeps serving');
    expect((await h.invoke('deps')).text).toBe('greetings, kyma');
  });

  it('rolls back to the previous good revision as a new revision', async () => {
    await h.apply('rb', nodeSpec(version(1)));
    await h.apply('rb', nodeSpec(version(2)));
    // The last save was a minute ago (the dev loop's annotation stays on the Function through the rollback).
    await h.apply('rb', nodeSpec('module.exports = {'), { annotations: { [SAVED_AT_ANNOTATION]: String(Date.now() - 60_000) } });
    const asked = Date.now();
    const made = await h.module.api.rollback('default', 'rb');
    const took = Date.now() - asked;
    expect(made).toMatchObject({ number: 4, rollbackOf: 1, outcome: 'ready' });
    // The rollback's own time to ready, not the time since that save.
    expect(made.latencyMs).toBeLessThanOrEqual(took);
    expect((await h.invoke('rb')).text).toBe('v1');
    expect(h.module.api.revisions('default', 'rb').map((r) => r.outcome)).toEqual(['superseded', 'rolled-back', 'failed', 'ready']);
    expect((h.fn('rb').spec?.source as { inline: { source: string } }).inline.source).toBe(version(1));
    expect(h.condition('rb', 'ConfigurationReady')?.status).toBe('True');
    const again = await h.module.api.rollback('default', 'rb', 2);
    expect(again).toMatchObject({ number: 5, rollbackOf: 2 });
    expect((await h.invoke('rb')).text).toBe('v2');
    await expect(h.module.api.rollback('default', 'rb', 3)).rejects.toThrow(/not a revision that became ready/);
  });

  it('keeps revision history across a module restart and serves the same revision again', async () => {
    await h.apply('persist', nodeSpec(version(1)));
    await h.apply('persist', nodeSpec(version(2)));
    await h.module.stop();
    h.module = createServerlessModule({ workerEntry: SERVER_ENTRY, preloadPath: PRELOAD, npmFlags: ['--offline'] });
    await h.module.start(h.ctx);
    await h.module.api.settled('default', 'persist');
    expect(h.module.api.revisions('default', 'persist').map((r) => [r.number, r.outcome])).toEqual([
      [1, 'superseded'],
      [2, 'ready'],
    ]);
    expect(h.module.api.details('default', 'persist')?.currentRevision).toBe(2);
    expect((await h.invoke('persist')).text).toBe('v2');
  });
});
