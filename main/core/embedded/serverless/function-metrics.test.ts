import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../../telemetry/index.js';
import { cpuTicks, rssBytes, UsageSampler } from './function-metrics.js';

describe.runIf(process.platform === 'linux')('function usage sampling from /proc', () => {
  it('reads RSS and CPU ticks of a live process and nothing for a gone one', async () => {
    expect(await rssBytes(process.pid)).toBeGreaterThan(1024 * 1024);
    expect(await cpuTicks(process.pid)).toBeGreaterThan(0);
    expect(await rssBytes(2 ** 22 + 12345)).toBeUndefined();
  });

  it('records replicas, summed RSS and CPU seconds per function', async () => {
    const telemetry = createTelemetry();
    const worker = { name: 'w', replica: 0, port: 1, state: 'Ready', restarts: 0, pid: process.pid };
    const sampler = new UsageSampler(telemetry, () => [{ namespace: 'default', name: 'f', desiredReplicas: 2, readyReplicas: 2, workers: [worker, { ...worker, pid: process.pid }], stateDir: '/tmp' }]);
    await sampler.sample();
    const byName = new Map(telemetry.queryMetrics({ function: 'f' }).map((s) => [s.name, s.points.at(-1)?.value ?? 0]));
    expect(byName.get('function_replicas')).toBe(2);
    expect(byName.get('function_memory_rss_bytes')).toBeGreaterThan(2 * 1024 * 1024);
    expect(byName.get('function_cpu_seconds_total')).toBeGreaterThan(0);
  });
});
