import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, waitFor, type TestHome } from '../helpers/cli.js';

interface Series {
  name: string;
  kind: string;
  function?: string;
  labels: Record<string, string>;
  points: Array<{ value?: number; histogram?: { count: number; sum: number; bounds: number[]; counts: number[] } }>;
}

describe('per-function metrics without user code', () => {
  let home: TestHome;
  let daemonUrl: string;

  async function get(path: string): Promise<Response> {
    return fetch(`${daemonUrl}${path}`, { headers: { authorization: `Bearer ${apiToken(home)}` } });
  }

  async function series(fn: string): Promise<Map<string, Series>> {
    const body = (await (await get(`/kl/v1/metrics?function=${fn}`)).json()) as { items: Series[] };
    return new Map(body.items.map((s) => [s.name, s]));
  }

  const last = (s: Series | undefined): number => s?.points.at(-1)?.value ?? 0;
  const histCount = (s: Series | undefined): number => s?.points.at(-1)?.histogram?.count ?? 0;

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless'] })]);
    daemonUrl = (await statusJson(home)).daemon!.url;
    const dir = join(home.dir, 'fns', 'calc');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.yaml'), 'name: calc\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n');
    await writeFile(join(dir, 'handler.js'), "module.exports = { main: async (event) => { if (event.data && event.data.fail) throw new Error('boom'); return 'ok'; } };\n");
    await writeFile(join(dir, 'package.json'), '{"name":"calc","version":"1.0.0"}\n');
    await home.cli(['dev', join(home.dir, 'fns'), '--detach']);
    await waitFor(async () => (await home.cli(['invoke', 'calc'], { reject: false })).exitCode === 0, 'calc to serve', 30_000);
  });
  afterAll(async () => {
    await home?.cleanup();
  });

  it('counts requests and errors, records latency, and samples replicas and memory of the workers', async () => {
    const before = await series('calc');
    const requests0 = last(before.get('function_requests_total'));
    const errors0 = last(before.get('function_errors_total'));
    const latency0 = histCount(before.get('function_request_duration_ms'));

    for (let i = 0; i < 3; i++) expect(String((await home.cli(['invoke', 'calc', '--data', `{"n":${i}}`])).stdout).trim()).toBe('ok');
    const failing = await home.cli(['invoke', 'calc', '--data', '{"fail":true}'], { reject: false });
    expect(failing.exitCode).not.toBe(0);

    let now = new Map<string, Series>();
    await waitFor(async () => {
      now = await series('calc');
      return last(now.get('function_requests_total')) >= requests0 + 4 && (now.get('function_memory_rss_bytes')?.points.length ?? 0) > 0;
    }, 'the four calls to be counted and memory to be sampled', 45_000);

    const requests = now.get('function_requests_total')!;
    expect(requests).toMatchObject({ kind: 'counter', function: 'calc', labels: { namespace: 'default' } });
    expect(last(requests) - requests0).toBe(4);
    expect(last(now.get('function_errors_total')) - errors0).toBe(1);
    const latency = now.get('function_request_duration_ms')!;
    expect(latency.kind).toBe('histogram');
    const hist = latency.points.at(-1)!.histogram!;
    expect(hist.count - latency0).toBe(4);
    expect(hist.counts.reduce((a, b) => a + b, 0)).toBe(hist.count);
    expect(hist.sum).toBeGreaterThan(0);
    expect(last(now.get('function_replicas'))).toBe(1);
    expect(last(now.get('function_memory_rss_bytes'))).toBeGreaterThan(1024 * 1024);
    expect(now.get('function_cpu_seconds_total')?.kind).toBe('counter');

    const prom = await (await get('/metrics')).text();
    expect(prom).toContain('# TYPE function_requests_total counter');
    expect(prom).toMatch(new RegExp(`^function_requests_total\\{function="calc",namespace="default"\\} ${last(requests)}$`, 'm'));
    expect(prom).toMatch(/^function_errors_total\{function="calc",namespace="default"\} [1-9]\d*$/m);
    expect(prom).toContain('# TYPE function_request_duration_ms histogram');
    expect(prom).toMatch(/^function_request_duration_ms_bucket\{function="calc",namespace="default",le="\+Inf"\} \d+$/m);
    expect(prom).toMatch(/^function_request_duration_ms_count\{function="calc",namespace="default"\} \d+$/m);
    expect(prom).toMatch(/^function_replicas\{function="calc",namespace="default"\} 1$/m);
    expect(prom).toMatch(/^function_memory_rss_bytes\{function="calc",namespace="default"\} [1-9]\d*$/m);
  });
});
