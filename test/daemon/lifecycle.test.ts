import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestHome, isAlive, statusJson, waitFor, type TestHome } from '../helpers/cli.js';

/** Every pid the daemon reports for its children (nats-server and, later, workers). */
async function childPids(home: TestHome): Promise<number[]> {
  const s = await statusJson(home);
  return (s.cluster?.components ?? []).map((c) => c.pid).filter((p): p is number => typeof p === 'number');
}

describe('daemon lifecycle: up, status, down, and no orphans', () => {
  let home: TestHome;
  beforeEach(async () => {
    home = await createTestHome();
  });
  afterEach(async () => {
    await home.cleanup();
  });

  it('up starts the daemon and nats-server, status reports them, down stops every child', async () => {
    const profile = await home.profile({ modules: ['serverless', 'eventing'] });
    const up = await home.cli(['up', '--profile', profile]);
    expect(String(up.stderr)).toContain('nats');
    const s = await statusJson(home);
    expect(s.daemon?.pid).toBe(home.daemonPid());
    expect(s.cluster?.profile).toBe('test');
    const nats = s.cluster?.components.find((c) => c.name === 'nats');
    expect(nats?.state).toBe('Ready');
    expect(nats?.pid).toBeGreaterThan(0);
    expect(Object.values(nats?.ports ?? {}).every((p) => p > 0)).toBe(true);
    // A module that is not in the profile is Disabled, never Ready.
    const gw = s.cluster?.components.find((c) => c.name === 'api-gateway');
    expect(gw?.state).toBe('Disabled');
    const pids = await childPids(home);
    expect(pids.length).toBeGreaterThan(0);
    await home.cli(['down']);
    for (const pid of pids) await waitFor(() => !isAlive(pid), `child ${pid} to exit after down`);
    const after = await statusJson(home);
    expect(after.cluster?.phase).toBe('Stopped');
  });

  it('human status names the runtime, the profile and each component', async () => {
    await home.cli(['up', '--profile', await home.profile()]);
    const r = await home.cli(['status']);
    const out = String(r.stdout);
    expect(out).toMatch(/Runtime: embedded\s+Profile: test\s+Phase: (Ready|Degraded)/);
    expect(out).toMatch(/nats\s+process\s+Ready/);
    expect(out).toContain('Daemon: pid');
  });

  it('daemon stop stops the cluster and the daemon', async () => {
    await home.cli(['up', '--profile', await home.profile()]);
    const daemon = home.daemonPid()!;
    const pids = await childPids(home);
    await home.cli(['daemon', 'stop']);
    expect(isAlive(daemon)).toBe(false);
    for (const pid of pids) await waitFor(() => !isAlive(pid), `child ${pid} to exit after daemon stop`);
    const r = await home.cli(['status'], { reject: false });
    expect(r.exitCode).toBe(3);
    expect(String(r.stderr)).toContain('daemon not running — run `kyma-local up`');
  });

  it('SIGTERM to the daemon stops every child', async () => {
    await home.cli(['up', '--profile', await home.profile()]);
    const daemon = home.daemonPid()!;
    const pids = await childPids(home);
    process.kill(daemon, 'SIGTERM');
    await waitFor(() => !isAlive(daemon), 'daemon to exit after SIGTERM');
    for (const pid of pids) await waitFor(() => !isAlive(pid), `child ${pid} to exit after SIGTERM`);
  });

  it('SIGKILL of the daemon leaves no orphan, and the next start resumes the cluster', async () => {
    await home.cli(['up', '--profile', await home.profile()]);
    const daemon = home.daemonPid()!;
    const pids = await childPids(home);
    process.kill(daemon, 'SIGKILL');
    await waitFor(() => !isAlive(daemon), 'daemon to die');
    // Children die with the daemon (parent-death signal) or are reaped by the next start.
    await home.cli(['up']);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    const s = await statusJson(home);
    expect(s.cluster?.components.find((c) => c.name === 'nats')?.state).toBe('Ready');
  });

  it('refuses a broken profile with file:line:column and the kind profile with a clear reason', async () => {
    const bad = await home.profile({ modules: ['serverless', 'evnting'] });
    const r = await home.cli(['up', '--profile', bad], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stderr)).toMatch(/test\.yaml:\d+:\d+: spec\.modules\[1\]: unknown module "evnting" \(did you mean "eventing"\?\)/);
    const kind = await home.cli(['up', '--profile', 'kind'], { reject: false });
    expect(kind.exitCode).not.toBe(0);
    // The kind runtime's preflight names what is missing here (no kind binary can be had, or no Docker engine).
    expect(String(kind.stderr)).toMatch(/kind v[\d.]+|Docker/);
    expect(String(kind.stderr)).not.toMatch(/^\s+at /m);
  });
});
