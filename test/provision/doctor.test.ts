import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../main/core/api/doctor.js';
import { createTestHome, type TestHome } from '../helpers/cli.js';
import { pathWithoutNats, startMirror, type TestMirror } from './mirror.js';

let dir: string;
let mirror: TestMirror;
let home: TestHome;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kl-doctor-'));
  mirror = await startMirror(dir);
});
afterAll(async () => {
  await mirror.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await home?.cleanup();
});

async function doctorJson(h: TestHome, args: string[] = []): Promise<{ exitCode: number; checks: DoctorCheck[] }> {
  const r = await h.cli(['doctor', '-o', 'json', ...args], { reject: false });
  return { exitCode: r.exitCode ?? -1, checks: (JSON.parse(String(r.stdout)) as { checks: DoctorCheck[] }).checks };
}

describe('kyma-local doctor', () => {
  it('reports a missing nats-server with the file to fetch; `setup` fetches it through the mirror and doctor turns OK', async () => {
    home = await createTestHome();
    home.env.PATH = await pathWithoutNats(home.dir);
    home.env.KYMA_LOCAL_DOWNLOAD_MIRROR = mirror.url;
    const profile = await home.profile({ modules: ['serverless'] });

    const before = await doctorJson(home, ['--profile', profile]);
    expect(before.exitCode).toBe(0);
    expect(before.checks.map((c) => c.name)).toEqual(['daemon', 'profile', 'Node.js', 'state dir', 'nats-server', 'npm', 'port nats', 'port gateway', 'port publisher', 'port otlp', 'port broker']);
    const nats = before.checks.find((c) => c.name === 'nats-server')!;
    expect(nats.status).toBe('warn');
    expect(nats.detail).toMatch(new RegExp(`^not installed; \`kyma-local up\` will download v[\\d.]+ \\(nats-server-v[\\d.]+-linux-\\w+\\.tar\\.gz\\) from ${mirror.url}$`));
    expect(nats.fix).toContain(`put nats-server-v`);
    expect(nats.fix).toContain(path.join(home.dir, 'cache', 'bin', 'nats-server'));

    const setup = await home.cli(['setup', '--profile', profile]);
    expect(setup.stderr).toContain('downloading nats-server v');
    expect(setup.stdout).toContain(`✓ nats-server: ${path.join(home.dir, 'cache', 'bin', 'nats-server')}`);

    const after = await doctorJson(home, ['--profile', profile]);
    expect(after.checks.find((c) => c.name === 'nats-server')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^v\d+\.\d+\.\d+ at .*\/cache\/bin\/nats-server \(cache\)$/) });
  });

  it('fails on a fixed port another process holds, naming the process and the fix, and exits 1', async () => {
    home = await createTestHome();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const profile = await home.profile({ modules: ['serverless'], name: 'fixed' });
      const { writeFile, readFile } = await import('node:fs/promises');
      await writeFile(profile, (await readFile(profile, 'utf8')).replace('    gateway: 0', `    gateway: ${port}`));
      const r = await home.cli(['doctor', '--profile', profile], { reject: false });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`✗ port gateway\\s+${port} is in use \\(pid ${process.pid}, [^)]+\\)\\n\\s+→ stop that process or set ports.gateway in the profile \\(0 = any free port\\)`));
      expect(r.stdout).toMatch(/✓ nats-server\s+v\d/);
      expect(r.stderr).toContain('1 check(s) failed');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('a profile that does not load is a failed line, not a crash', async () => {
    home = await createTestHome();
    const { exitCode, checks } = await doctorJson(home, ['--profile', 'no-such-profile']);
    expect(exitCode).toBe(1);
    expect(checks[1]).toMatchObject({ name: 'profile', status: 'fail', fix: 'fix the profile file, or pick another with --profile' });
    expect(checks[1]!.detail).toContain('no-such-profile');
  });
});
