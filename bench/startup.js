// Cold `kyma-local up --profile minimal` until every module is Ready, then `down`, repeated; then idle RSS
// of daemon + nats-server after 5 s. Each iteration stops the daemon so the next `up` is cold.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, percentile, rssMb, round } from './lib-proc.js';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const home = mkdtempSync(join(tmpdir(), 'kl-bench-startup-'));
const env = { KYMA_LOCAL_HOME: home, KYMA_LOCAL_DAEMON_PORT: '0' };
const upMs = [];
const downMs = [];
try {
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await cli(['up', '--profile', 'minimal'], env);
    upMs.push(performance.now() - t);
    t = performance.now();
    await cli(['down'], env);
    downMs.push(performance.now() - t);
    await cli(['daemon', 'stop'], env);
  }
  await cli(['up', '--profile', 'minimal'], env);
  await new Promise((r) => setTimeout(r, 5000));
  const status = JSON.parse((await cli(['status', '-o', 'json'], env)).stdout);
  const pids = [status.daemon.pid, ...status.cluster.components.map((c) => c.pid).filter(Boolean)];
  const idle = pids.reduce((sum, pid) => sum + rssMb(pid), 0);
  await cli(['daemon', 'stop'], env);
  console.error(`up runs (ms): ${upMs.map((v) => Math.round(v)).join(', ')}`);
  console.log(
    JSON.stringify({
      bench: 'startup',
      runs,
      up_ready_ms_p50: round(percentile(upMs, 50)),
      up_ready_ms_p95: round(percentile(upMs, 95)),
      down_ms_p50: round(percentile(downMs, 50)),
      idle_rss_mb: round(idle),
      idle_processes: pids.length,
    }),
  );
} finally {
  try {
    await cli(['daemon', 'stop'], env);
  } catch {
    // already stopped
  }
  rmSync(home, { recursive: true, force: true });
}
