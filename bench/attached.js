// Functions on an attached cluster (`runtime: kubernetes`) against the same functions used directly: daemon A on the
// embedded runtime is the "cluster", daemon B attaches to A's Kubernetes API by kubeconfig. Measured in one run:
//  - per source change (BENCH_CHANGES ≥ 20) applied on B: B's revision latency (apply to the cluster → the cluster's
//    status shows Running for that generation) and A's own revision latency for the same change;
//  - BENCH_INVOKES invokes of the same function through B (B's invoke → cluster proxy → A's services/…/proxy → mesh)
//    and directly through A's invoke route (the baseline).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, percentile, round } from './lib-proc.js';
import { startHome, waitUntil } from './lib-daemon.js';

const changes = Number(process.env.BENCH_CHANGES ?? 20);
const invokes = Number(process.env.BENCH_INVOKES ?? 200);
const FN = 'attached';
const fnPath = `/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions/${FN}`;
const source = (v) => `module.exports = { main: () => 'v${v}' };\n`;

function apiOf(dir) {
  const info = JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8'));
  const token = readFileSync(join(dir, 'token'), 'utf8').trim();
  return async (path, init = {}) => {
    const res = await fetch(`${info.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return text;
  };
}

const a = await startHome('attached-cluster', ['serverless']);
const bDir = mkdtempSync(join(tmpdir(), 'kl-bench-attached-b-'));
const bEnv = { KYMA_LOCAL_HOME: bDir, KYMA_LOCAL_DAEMON_PORT: '0', NO_COLOR: '1' };
try {
  await a.cli(['kubeconfig', '-w', join(bDir, 'cluster-kubeconfig')]);
  writeFileSync(join(bDir, 'attached.yaml'), 'apiVersion: kyma-local.io/v1alpha1\nkind: ClusterProfile\nmetadata:\n  name: attached\nspec:\n  runtime: kubernetes\n  modules: [serverless]\n  kubernetes:\n    kubeconfig: cluster-kubeconfig\n');
  await cli(['up', '--profile', join(bDir, 'attached.yaml')], bEnv).catch(() => undefined); // Degraded: A has no Serverless CR
  const b = apiOf(bDir);
  const onA = (path) => a.api(path);
  const revisions = async (api) => JSON.parse(await api(`/kl/v1/functions/default/${FN}/revisions`)).items;
  const fn = { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', metadata: { name: FN, namespace: 'default' }, spec: { runtime: 'nodejs22', source: { inline: { source: source(0) } } } };
  await b('/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions', { method: 'POST', body: JSON.stringify(fn) });
  await waitUntil(async () => (await revisions(b).catch(() => []))[0]?.outcome === 'ready', 'revision 1 on B', 60_000, 20);

  const bMs = [];
  const aMs = [];
  for (let v = 1; v <= changes; v++) {
    await b(fnPath, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { source: { inline: { source: source(v) } } } }) });
    let rb;
    await waitUntil(async () => {
      rb = (await revisions(b)).find((r) => r.number === v + 1 && r.outcome !== 'pending');
      return !!rb;
    }, `revision ${v + 1} on B`, 60_000, 10);
    if (rb.outcome !== 'ready') throw new Error(`revision ${v + 1} on B is ${rb.outcome}: ${rb.error?.message}`);
    bMs.push(rb.latencyMs);
    const ra = (await onA(`/kl/v1/functions/default/${FN}`)).revisions.at(-1);
    if (ra.outcome === 'ready') aMs.push(ra.latencyMs);
    await new Promise((r) => setTimeout(r, 200));
  }

  const timeInvokes = async (api) => {
    const ms = [];
    for (let i = 0; i < invokes; i++) {
      const t0 = performance.now();
      const body = await api(`/kl/v1/functions/default/${FN}/invoke/`);
      ms.push(performance.now() - t0);
      if (body !== `v${changes}`) throw new Error(`unexpected answer ${body}`);
    }
    return ms;
  };
  const aApi = apiOf(a.dir);
  await timeInvokes(aApi); // warm both paths (keep-alive agents, JIT) before measuring
  await timeInvokes(b);
  const directMs = await timeInvokes(aApi);
  const attachedMs = await timeInvokes(b);

  console.error(`B revision latency (apply → cluster status Running): ${bMs.join(', ')}`);
  console.error(`A revision latency (same changes, on the cluster itself): ${aMs.join(', ')}`);
  console.log(
    JSON.stringify({
      bench: 'attached',
      revision_ms_p50: round(percentile(bMs, 50)),
      revision_ms_p95: round(percentile(bMs, 95)),
      cluster_own_revision_ms_p50: round(percentile(aMs, 50)),
      revision_vs_cluster_own: round(percentile(bMs, 50) / percentile(aMs, 50), 2),
      invoke_ms_p50: round(percentile(attachedMs, 50), 2),
      invoke_ms_p95: round(percentile(attachedMs, 95), 2),
      direct_invoke_ms_p50: round(percentile(directMs, 50), 2),
      invoke_vs_direct: round(percentile(attachedMs, 50) / percentile(directMs, 50), 2),
      changes,
      invokes,
    }),
  );
} finally {
  await cli(['daemon', 'stop'], bEnv).catch(() => undefined);
  rmSync(bDir, { recursive: true, force: true });
  await a.cleanup();
}
