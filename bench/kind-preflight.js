// How fast `kyma-local up --profile kind` fails where it cannot work (the bar: under 5 s), cold each time
// (daemon started by the command, stopped after): Docker running but no kind binary and no way to download it,
// and the Docker engine unreachable. Baseline in the same run: a cold `up --dry-run --profile minimal` (daemon
// start plus one request), so the ratio says what the kind checks add on this machine's current load.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI, percentile, round } from './lib-proc.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const closedPort = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

async function coldMs(args, extraEnv) {
  const home = mkdtempSync(join(tmpdir(), 'kl-bench-kind-'));
  const env = { KYMA_LOCAL_HOME: home, KYMA_LOCAL_DAEMON_PORT: '0', PATH: '/usr/bin:/bin', KYMA_LOCAL_KIND_BASE_URL: `http://127.0.0.1:${closedPort}`, ...extraEnv };
  try {
    const t = performance.now();
    const r = await execa(process.execPath, [CLI, ...args], { env, reject: false });
    const ms = performance.now() - t;
    return { ms, exitCode: r.exitCode, stderr: r.stderr };
  } finally {
    await execa(process.execPath, [CLI, 'daemon', 'stop'], { env, reject: false });
    rmSync(home, { recursive: true, force: true });
  }
}

const noKind = [];
const dockerDown = [];
const baseline = [];
for (let i = 0; i < runs; i++) {
  const b = await coldMs(['up', '--profile', 'minimal', '--dry-run'], {});
  baseline.push(b.ms);
  const k = await coldMs(['up', '--profile', 'kind'], {});
  if (k.exitCode !== 1 || !k.stderr.includes('kind is not installed')) throw new Error(`unexpected result without kind: ${k.exitCode} ${k.stderr}`);
  noKind.push(k.ms);
  const d = await coldMs(['up', '--profile', 'kind'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  if (d.exitCode !== 1 || !d.stderr.includes('Docker engine: not reachable')) throw new Error(`unexpected result without Docker: ${d.exitCode} ${d.stderr}`);
  dockerDown.push(d.ms);
}
console.log(
  JSON.stringify({
    bench: 'kind-preflight',
    runs,
    up_kind_no_kind_ms_p50: round(percentile(noKind, 50)),
    up_kind_no_kind_ms_max: round(Math.max(...noKind)),
    up_kind_docker_down_ms_p50: round(percentile(dockerDown, 50)),
    baseline_cold_dry_run_ms_p50: round(percentile(baseline, 50)),
    no_kind_vs_baseline: round(percentile(noKind, 50) / percentile(baseline, 50), 2),
  }),
);
