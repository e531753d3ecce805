// Hot reload under load: a function folder under `kyma-local dev`, BENCH_SAVES (≥ 30) saves of handler.js that
// each change the body, while BENCH_CLIENTS keep-alive loops send requests continuously through the mesh
// (Host: <fn>.default.svc.cluster.local). Per save: the daemon's save→ready (revision latencyMs) and the time
// from our write until a client first sees the new body. Any non-2xx or error counts as a failed request.
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile, round } from './lib-proc.js';
import { startHome, waitUntil, writeFunctionFolder } from './lib-daemon.js';

const saves = Number(process.env.BENCH_SAVES ?? 30); // ≥ 30 for reported figures; fewer when profiling
const clients = Number(process.env.BENCH_CLIENTS ?? 2);
// Time between one save's new body being served and the next save: a developer saving about once a second.
const saveIntervalMs = Number(process.env.BENCH_SAVE_INTERVAL_MS ?? 1000);
const gapMs = Number(process.env.BENCH_GAP_MS ?? 2); // between one loop's requests, so the client does not starve the workers
const FN = 'reload';
const handler = (v) => `module.exports = { main: async () => 'v${v}' };\n`;

const home = await startHome('hot-reload', ['serverless']);
const stats = { requests: 0, failed: 0, errors: new Map() };
let stopClients = false;
const firstSeen = new Map(); // version → Date.now() of the first response carrying it
try {
  const meshUrl = new URL(home.components.serverless.urls.mesh);
  const fnDir = join(home.dir, FN);
  mkdirSync(fnDir);
  writeFunctionFolder(fnDir, FN, handler(0));
  await home.api('/kl/v1/dev', { method: 'POST', body: JSON.stringify({ dirs: [fnDir] }) });
  const details = () => home.api(`/kl/v1/functions/default/${FN}`);
  await waitUntil(async () => (await details().catch(() => undefined))?.revisions?.some((r) => r.outcome === 'ready'), 'the first revision', 60_000, 50);

  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const once = () =>
    new Promise((resolve) => {
      const req = http.request(
        { host: meshUrl.hostname, port: meshUrl.port, path: '/', agent, headers: { host: `${FN}.default.svc.cluster.local` } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode, body }));
          res.on('error', (e) => resolve({ error: e.message }));
        },
      );
      req.on('error', (e) => resolve({ error: e.code ?? e.message }));
      req.end();
    });
  const loop = async () => {
    while (!stopClients) {
      const r = await once();
      stats.requests++;
      const ok = r.status >= 200 && r.status < 300;
      if (!ok) {
        stats.failed++;
        const key = r.error ?? `HTTP ${r.status} ${r.body?.slice(0, 80)}`;
        stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
      } else {
        const m = /^v(\d+)$/.exec(r.body);
        if (m && !firstSeen.has(Number(m[1]))) firstSeen.set(Number(m[1]), Date.now());
      }
      if (gapMs > 0) await new Promise((res) => setTimeout(res, gapMs));
    }
  };
  const loops = Array.from({ length: clients }, loop);
  await waitUntil(() => firstSeen.has(0), 'the client to see v0', 10_000, 10);

  const daemonMs = [];
  const seenMs = [];
  const failedSaves = [];
  let lastRev = Math.max(...(await details()).revisions.map((r) => r.number));
  for (let v = 1; v <= saves; v++) {
    const t0 = Date.now();
    writeFileSync(join(fnDir, 'handler.js'), handler(v));
    await waitUntil(() => firstSeen.has(v), `the client to see v${v}`, 30_000, 2);
    seenMs.push(firstSeen.get(v) - t0);
    let rev;
    await waitUntil(async () => {
      rev = (await details()).revisions.find((r) => r.number > lastRev && r.outcome !== 'pending');
      return !!rev;
    }, `revision after ${lastRev}`, 10_000, 10);
    lastRev = rev.number;
    if (rev.outcome === 'ready' && typeof rev.latencyMs === 'number') daemonMs.push(rev.latencyMs);
    else failedSaves.push({ v, outcome: rev.outcome });
    await new Promise((r) => setTimeout(r, saveIntervalMs));
  }
  stopClients = true;
  await Promise.all(loops);
  agent.destroy();

  console.error(`save→ready (daemon latencyMs): ${daemonMs.join(', ')}`);
  console.error(`write→first new body seen by client (ms): ${seenMs.join(', ')}`);
  console.error(`client-seen p50 ${percentile(seenMs, 50)} p95 ${percentile(seenMs, 95)}; requests ${stats.requests}, failed ${stats.failed}`);
  if (stats.errors.size > 0) console.error('failures:', Object.fromEntries(stats.errors));
  if (failedSaves.length > 0) console.error('revisions not ready:', failedSaves);
  console.log(
    JSON.stringify({
      bench: 'hot-reload',
      reload_ms_p50: round(percentile(daemonMs, 50)),
      reload_ms_p95: round(percentile(daemonMs, 95)),
      seen_ms_p50: round(percentile(seenMs, 50)),
      seen_ms_p95: round(percentile(seenMs, 95)),
      failed_requests: stats.failed,
      requests: stats.requests,
      saves,
      save_interval_ms: saveIntervalMs,
    }),
  );
} finally {
  stopClients = true;
  await home.cleanup();
}
