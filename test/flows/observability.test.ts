import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHome, waitFor, type TestHome } from '../helpers/cli.js';

interface LogLine {
  body: string;
  level: string;
  traceId?: string;
  source: { function?: string; revision?: string; replica?: string };
}

describe('observability through the CLI: function logs with trace ids, a crashed worker\'s last words, traces', () => {
  let home: TestHome;
  const logs = async (args: string[] = []): Promise<LogLine[]> =>
    String((await home.cli(['logs', ...args, '-o', 'json'])).stdout)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'telemetry'] })]);
    const dir = join(home.dir, 'talker');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.yaml'), 'name: talker\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n');
    await writeFile(join(dir, 'package.json'), '{"name":"talker","version":"1.0.0"}\n');
    await writeFile(
      join(dir, 'handler.js'),
      [
        'module.exports = { main: async (event) => {',
        "  if (event.data && event.data.crash) { console.error('about to crash: ' + event.data.crash); setTimeout(() => process.exit(3), 10); return 'bye'; }",
        "  console.log('handling order ' + event.data.id);",
        "  return 'ok';",
        '} };',
      ].join('\n'),
    );
    await home.cli(['dev', dir, '--detach']);
    await waitFor(async () => (await home.cli(['invoke', 'talker', '--data', '{"id":0}'], { reject: false })).exitCode === 0, 'talker to serve', 30_000);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('keeps each log line tagged with function, revision, replica and the trace of the request', async () => {
    await home.cli(['invoke', 'talker', '--data', '{"id":4711}']);
    await waitFor(async () => (await logs(['talker', '--grep', '4711'])).length > 0, 'the log line', 10_000);
    const [line] = await logs(['talker', '--grep', '4711']);
    expect(line!.body).toBe('handling order 4711');
    expect(line!.source.function).toBe('talker');
    expect(line!.source.revision).toBe('1');
    expect(line!.traceId).toMatch(/^[0-9a-f]{32}$/);
    await waitFor(async () => String((await home.cli(['traces', '--fn', 'talker'])).stdout).includes(line!.traceId!), 'its trace', 10_000);
    const waterfall = String((await home.cli(['trace', line!.traceId!])).stdout);
    expect(waterfall).toContain(`trace ${line!.traceId}`);
    expect(waterfall).toMatch(/POST \/ \[talker\]/);
  });

  it('keeps the last lines of a worker that crashed', async () => {
    await home.cli(['invoke', 'talker', '--data', '{"crash":"disk on fire"}'], { reject: false });
    await waitFor(async () => (await logs(['talker', '--grep', 'disk on fire'])).length > 0, 'the crash line', 10_000);
    const [line] = await logs(['talker', '--grep', 'disk on fire']);
    expect(line!.level).toBe('error');
    // The supervisor restarts the worker; the function serves again.
    await waitFor(async () => (await home.cli(['invoke', 'talker', '--data', '{"id":1}'], { reject: false })).exitCode === 0, 'talker to serve after the crash', 45_000);
  });

  it('records the platform\'s own logs too', async () => {
    const platform = String((await home.cli(['logs', '--limit', '500'])).stdout);
    expect(platform).toContain('kyma-local/');
  });
});
