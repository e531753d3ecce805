import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, CLI, createTestHome, statusJson, waitFor, type TestHome } from '../helpers/cli.js';

describe('kyma-local dev in a terminal: each save ends with the revision verdict', () => {
  let home: TestHome;
  let dir: string;
  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile()]);
    dir = join(home.dir, 'saver');
    await home.cli(['init', 'function', 'saver', '--dir', dir]);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('prints ready with the latency, a failed save with file:line, and stops watching on Ctrl-C', async () => {
    const dev = execa(process.execPath, [CLI, 'dev', dir], { env: home.env, reject: false });
    let out = '';
    dev.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor(() => out.includes('function default/saver'), 'dev to deploy the folder', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    await writeFile(join(dir, 'handler.js'), "module.exports = { main: async () => 'v2' };\n");
    await waitFor(() => /default\/saver: revision \d+ ready in \d+ ms/.test(out), 'the ready verdict', 30_000);
    await writeFile(join(dir, 'handler.js'), "module.exports = { main: async () => {\n  return 'x' +;\n} };\n");
    await waitFor(() => out.includes('failed:'), 'the failed verdict', 30_000);
    expect(out).toMatch(new RegExp(`revision \\d+ failed: ${join(dir, 'handler.js').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:\\d+: SyntaxError`));
    expect(out).toMatch(/revision \d+ keeps serving/);
    dev.kill('SIGINT');
    const r = await dev;
    expect(r.exitCode).toBe(0);
    const url = (await statusJson(home)).daemon!.url;
    const res = await fetch(`${url}/kl/v1/dev`, { headers: { Authorization: `Bearer ${apiToken(home)}` } });
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
