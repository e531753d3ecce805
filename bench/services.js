// Service consumption: provision postgresql from the built-in broker until the ServiceInstance is Ready
// (provision_cold_ms: the first one runs PGlite's initdb; provision_ms: the next ones start from the data-dir
// template; a redis instance in the same run is the baseline), bind until the Secret exists (bind_ms), then a
// function that reads the binding through env.secretKeyRef queries the database with a pooled `pg` client:
// pg_query_ms_p50 is SELECT 1 timed inside the function, invoke_ms_p50 the whole call, noop_invoke_ms_p50 the same
// function answering without touching the database (baseline). pg_server_rss_mb: both PGlite server processes.
import { readdirSync, readFileSync } from 'node:fs';
import { percentile, rssMb, round } from './lib-proc.js';
import { startHome, waitUntil } from './lib-daemon.js';

const calls = Number(process.env.BENCH_CALLS ?? 200);
const SI = '/apis/services.cloud.sap.com/v1/namespaces/default/serviceinstances';
const SB = '/apis/services.cloud.sap.com/v1/namespaces/default/servicebindings';
const FN = '/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions';

const handler = `
const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
module.exports = { main: async (event) => {
  if (event.extensions.request.path === '/noop') return { ok: true };
  const t = performance.now();
  await pool.query('SELECT 1');
  return { queryMs: performance.now() - t };
} };
`;

const ready = (path, name) => waitUntil(async () => (await home.api(`${path}/${name}`)).status?.ready === 'True', `${name} to be Ready`, 300_000, 25);

async function provision(name, offering, plan) {
  const t = performance.now();
  await home.api(SI, { method: 'POST', body: JSON.stringify({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceInstance', metadata: { name }, spec: { serviceOfferingName: offering, servicePlanName: plan } }) });
  await ready(SI, name);
  return performance.now() - t;
}

function pgServerPids(root) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('pg-server.js')) {
        const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
        if (ppid === root) out.push(Number(d));
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const home = await startHome('services', ['serverless', 'btp-operator']);
try {
  const redisMs = await provision('cache', 'redis', 'dev');
  const coldMs = await provision('db-first', 'postgresql', 'dev');
  const provisionMs = await provision('db', 'postgresql', 'dev');
  let t = performance.now();
  await home.api(SB, { method: 'POST', body: JSON.stringify({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceBinding', metadata: { name: 'db-binding' }, spec: { serviceInstanceName: 'db' } }) });
  await ready(SB, 'db-binding');
  await waitUntil(async () => (await home.api('/api/v1/namespaces/default/secrets/db-binding').catch(() => undefined)) !== undefined, 'the binding Secret');
  const bindMs = performance.now() - t;

  await home.api(FN, {
    method: 'POST',
    body: JSON.stringify({
      apiVersion: 'serverless.kyma-project.io/v1alpha2',
      kind: 'Function',
      metadata: { name: 'dbq' },
      spec: {
        runtime: 'nodejs22',
        env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db-binding', key: 'uri' } } }],
        source: { inline: { source: handler, dependencies: JSON.stringify({ name: 'dbq', version: '1.0.0', dependencies: { pg: '8.23.1' } }) } },
      },
    }),
  });
  const invoke = (path) => home.api(`/kl/v1/functions/default/dbq/invoke${path}`);
  await waitUntil(async () => (await invoke('/').catch(() => undefined))?.queryMs !== undefined, 'the function to answer', 300_000, 200);
  for (let i = 0; i < 20; i++) await invoke('/'); // warm the pool and the JIT
  const queryMs = [];
  const invokeMs = [];
  const noopMs = [];
  // Interleaved, so drift hits both sides alike.
  for (let i = 0; i < calls; i++) {
    t = performance.now();
    await invoke('/noop');
    noopMs.push(performance.now() - t);
    t = performance.now();
    const r = await invoke('/');
    invokeMs.push(performance.now() - t);
    queryMs.push(r.queryMs);
  }
  const pgRss = pgServerPids(home.pid).reduce((s, pid) => s + rssMb(pid), 0);
  console.log(
    JSON.stringify({
      bench: 'services',
      calls,
      provision_ms: round(provisionMs),
      provision_cold_ms: round(coldMs),
      redis_provision_ms: round(redisMs),
      bind_ms: round(bindMs),
      pg_query_ms_p50: round(percentile(queryMs, 50), 2),
      pg_query_ms_p95: round(percentile(queryMs, 95), 2),
      invoke_ms_p50: round(percentile(invokeMs, 50), 2),
      noop_invoke_ms_p50: round(percentile(noopMs, 50), 2),
      pg_server_rss_mb: round(pgRss),
    }),
  );
} finally {
  await home.cleanup();
}
