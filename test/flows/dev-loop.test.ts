import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { apiToken, createTestHome, isAlive, statusJson, waitFor, type TestHome } from '../helpers/cli.js';

interface Rev {
  number: number;
  outcome: string;
  latencyMs?: number;
  error?: { message: string; file?: string; line?: number | null };
}

describe('the dev loop through the CLI: init, dev, invoke, hot redeploy, bad save, revisions, rollback, export', () => {
  let home: TestHome;
  let fnDir: string;
  const revisions = async (): Promise<Rev[]> => JSON.parse(String((await home.cli(['revisions', 'greeter', '-o', 'json'])).stdout)) as Rev[];
  const invoke = async (): Promise<string> => String((await home.cli(['invoke', 'greeter', '--data', '{"name":"Kyma"}'])).stdout).trim();

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'eventing'] })]);
    fnDir = join(home.dir, 'greeter');
    const init = await home.cli(['init', 'function', 'greeter', '--dir', fnDir]);
    expect(String(init.stdout)).toContain('config.yaml');
    await writeFile(join(fnDir, 'handler.js'), "module.exports = { main: async (event) => 'hello ' + event.data.name };\n");
    const dev = await home.cli(['dev', fnDir, '--detach']);
    expect(String(dev.stdout)).toContain('function default/greeter');
    await waitFor(async () => (await revisions().catch(() => [])).some((r) => r.outcome === 'ready'), 'first revision ready', 30_000);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('serves the function and invokes it through the mesh', async () => {
    expect(await invoke()).toBe('hello Kyma');
    const table = String((await home.cli(['get', 'functions'])).stdout);
    expect(table).toMatch(/greeter\s+nodejs22\s+True\s+True/);
  });

  it('redeploys on save and records the save→ready latency', async () => {
    await writeFile(join(fnDir, 'handler.js'), "module.exports = { main: async (event) => 'hi ' + event.data.name };\n");
    await waitFor(async () => (await invoke()) === 'hi Kyma', 'the new revision to serve', 45_000);
    const revs = await revisions();
    const latest = revs[revs.length - 1]!;
    expect(latest.outcome).toBe('ready');
    expect(latest.latencyMs).toBeGreaterThan(0);
    const table = String((await home.cli(['revisions', 'greeter'])).stdout);
    expect(table).toMatch(/SAVE→READY/);
  });

  it('keeps the last good revision serving after a broken save, names file:line, and recovers', async () => {
    const before = (await revisions()).length;
    await writeFile(join(fnDir, 'handler.js'), "module.exports = { main: async (event) => {\n  return 'broken' +;\n} };\n");
    await waitFor(async () => (await revisions()).some((r) => r.outcome === 'failed'), 'the broken revision to fail', 45_000);
    const failed = (await revisions()).find((r) => r.outcome === 'failed')!;
    expect(failed.error?.file).toBe(join(fnDir, 'handler.js'));
    expect(failed.error?.line).toBe(2);
    expect(await invoke()).toBe('hi Kyma');
    const fn = JSON.parse(String((await home.cli(['get', 'fn', 'greeter', '-o', 'json'])).stdout));
    const configured = fn.status.conditions.find((c: { type: string }) => c.type === 'ConfigurationReady');
    expect(configured.status).toBe('False');
    expect(configured.message).toContain('handler.js:2');
    await writeFile(join(fnDir, 'handler.js'), "module.exports = { main: async (event) => 'fixed ' + event.data.name };\n");
    await waitFor(async () => (await invoke()) === 'fixed Kyma', 'the fixed revision to serve', 45_000);
    expect((await revisions()).length).toBeGreaterThan(before + 1);
  });

  it('rolls back to the previous good revision', async () => {
    const r = await home.cli(['rollback', 'greeter']);
    expect(String(r.stdout)).toMatch(/revision \d+ \(ready\) re-deploys revision \d+/);
    expect(await invoke()).toBe('hi Kyma');
  });

  it('exports manifests that re-apply to give the same Function', async () => {
    const out = join(home.dir, 'export.yaml');
    await home.cli(['export', fnDir, '-o', out]);
    const docs = parseAllDocuments(await readFile(out, 'utf8')).map((d) => d.toJS());
    const fn = docs.find((d) => d.kind === 'Function');
    expect(fn.metadata.annotations?.['kyma-local.io/source-dir']).toBeUndefined();
    expect(fn.status).toBeUndefined();
    const other = await createTestHome();
    try {
      await other.cli(['up', '--profile', await other.profile()]);
      await other.cli(['apply', '-f', out]);
      const applied = JSON.parse(String((await other.cli(['get', 'fn', 'greeter', '-o', 'json'])).stdout));
      expect(applied.spec.source).toEqual(fn.spec.source);
      expect(applied.spec.runtime).toBe(fn.spec.runtime);
    } finally {
      await other.cleanup();
    }
  });

  it('invokes with a CloudEvent and custom headers', async () => {
    await writeFile(join(fnDir, 'handler.js'), "module.exports = { main: async (event) => ({ type: event['ce-type'], h: event.extensions.request.headers['x-test'] }) };\n");
    await waitFor(async () => (await invoke()).startsWith('{'), 'the CloudEvent echo revision', 45_000);
    const r = await home.cli(['invoke', 'greeter', '--cloudevent', 'order.created.v1', '--data', '{"id":1}', '-H', 'x-test=yes']);
    expect(JSON.parse(String(r.stdout))).toEqual({ type: 'order.created.v1', h: 'yes' });
  });

  it('takes every worker and nats-server down with a SIGKILLed daemon', async () => {
    const url = (await statusJson(home)).daemon!.url;
    const res = await fetch(`${url}/kl/v1/functions`, { headers: { Authorization: `Bearer ${apiToken(home)}` } });
    const { items } = (await res.json()) as { items: Array<{ workers: Array<{ pid?: number }> }> };
    const workers = items.flatMap((f) => f.workers.map((w) => w.pid)).filter((p): p is number => typeof p === 'number');
    expect(workers.length).toBeGreaterThan(0);
    const nats = (await statusJson(home)).cluster!.components.find((c) => c.name === 'nats')!.pid!;
    const daemon = home.daemonPid()!;
    process.kill(daemon, 'SIGKILL');
    for (const pid of [...workers, nats]) await waitFor(() => !isAlive(pid), `child ${pid} to die with the daemon`, 10_000);
  });
});
