import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandbyPool } from '../../main/core/embedded/serverless/standby-pool.js';
import { SERVER_ENTRY } from '../function-runtime/worker.js';
import { ensureBuilt } from './harness.js';

describe('standby workers: pre-started, activated with a revision\'s environment', () => {
  let dir: string;
  const pool = new StandbyPool();
  beforeAll(async () => {
    await ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'kl-standby-'));
    await writeFile(join(dir, 'handler.js'), "module.exports = { main: async (event, context) => `${process.env.GREETING} from ${context['function-name']} in ${process.cwd()}` };\n");
  });
  afterAll(async () => {
    pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('hands out nothing before a standby was primed, then a standby that serves once activated', async () => {
    const args = ['--max-old-space-size=192', SERVER_ENTRY];
    expect(await pool.acquire(args)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    const child = await pool.acquire(args, 10_000);
    expect(child?.pid).toBeGreaterThan(0);
    const ready = new Promise<number>((resolve) => child!.on('message', (m: { type?: string; port?: number }) => m.type === 'ready' && resolve(m.port!)));
    child!.send({ type: 'activate', env: { FUNC_HANDLER_DIR: dir, FUNC_PORT: '0', FUNC_NAME: 'warm', GREETING: 'hello' }, cwd: dir });
    const port = await ready;
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(body).toBe(`hello from warm in ${dir}`);
    child!.kill();
  });
});
