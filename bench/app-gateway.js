// The central application gateway's cost: the same closed-loop load (16 keep-alive connections) against an external
// system's API directly, through the gateway with Basic credentials, and with OAuth (token cached). The target runs
// and the load generator run in forked processes; the gateway is the real application-connector module (from
// dist/) on a real file store, in this process.
// Figures: requests/s and p50/p99 per path, the gateway's p50 overhead and its throughput ratio to the direct call,
// and how many token requests the OAuth run needed. `npm run bench -- app-gateway` (BENCH_SECONDS, default 3).
import { fork } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedLoop } from './lib-load.js';
import { percentile, round } from './lib-proc.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BODY = JSON.stringify({ id: 'o-1', items: Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) });

if (process.argv[2] === 'load') {
  // The load generator runs in its own process, so that the gateway's process does only the gateway's work.
  const r = await closedLoop({ url: process.argv[3], durationMs: SECONDS * 1000, warmupMs: 500 });
  process.send?.({ rps: Math.round(r.rps), p50Ms: round(percentile(r.latencies, 50), 2), p99Ms: round(percentile(r.latencies, 99), 2), failed: r.failed }, () => process.exit(0));
} else if (process.argv[2] === 'target') {
  let tokens = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/oauth/token') {
      tokens++;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ access_token: `t${tokens}`, expires_in: 3600 }));
    }
    if (req.url === '/tokens') return res.end(String(tokens));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(BODY);
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
} else {
  const dist = (p) => new URL(`../dist/main/core/${p}`, import.meta.url).href;
  const { createAppConnectorModule, createServiceRegistry } = await import(dist('embedded/index.js'));
  const { RESOURCE_TYPES, silentLogger } = await import(dist('model/index.js'));
  const { createFileStore } = await import(dist('store/index.js'));
  const child = fork(fileURLToPath(import.meta.url), ['target'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((r) => child.once('message', r));
  const target = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'kl-bench-gw-'));
  const store = await createFileStore({ dir: join(dir, 'store'), types: RESOURCE_TYPES });
  const endpoints = new Map();
  const module = createAppConnectorModule();
  const profile = { name: 'bench', description: '', source: '', runtime: 'embedded', modules: ['application-connector'], ports: { nats: 0, gateway: 0, publisher: 0, otlp: 0 }, limits: { maxReplicas: 1, eventStreamMaxBytes: 1, requestBodyMb: 1 }, retention: { traces: 1, logs: 1, metricPoints: 1, events: 1, keepStateOnDown: false }, eventing: { retryInitialMs: 1, retryMaxMs: 1, maxDeliver: 1 } };
  await module.start({ profile, stateDir: dir, store, supervisor: {}, natsUrl: '', log: silentLogger, endpoints, services: createServiceRegistry() });
  const secret = (name, stringData) => store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'kyma-system' }, stringData });
  await secret('b', { username: 'u', password: 'p' });
  await secret('o', { clientId: 'c', clientSecret: 's' });
  const svc = (id, credentials) => ({ id, name: id, displayName: id, entries: [{ type: 'API', targetUrl: `${target}/api`, credentials }] });
  await store.create({
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'bench' },
    spec: { services: [svc('basic', { type: 'Basic', secretName: 'b' }), svc('oauth', { type: 'OAuth', secretName: 'o', authenticationUrl: `${target}/oauth/token` })] },
  });
  await module.api.settled();
  const gw = endpoints.get('application-gateway');
  const run = (url) =>
    new Promise((resolve) => {
      const load = fork(fileURLToPath(import.meta.url), ['load', url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      load.once('message', resolve);
    });
  const direct = await run(`${target}/api/orders/1`);
  const basic = await run(`${gw}/bench/basic/orders/1`);
  const oauth = await run(`${gw}/bench/oauth/orders/1`);
  const tokenRequests = Number(await (await fetch(`${target}/tokens`)).text());
  console.log(
    JSON.stringify({
      bench: 'app-gateway',
      seconds: SECONDS,
      connections: 16,
      direct,
      basic,
      oauth,
      basicOverheadP50Ms: round(basic.p50Ms - direct.p50Ms, 2),
      basicRpsRatio: round(basic.rps / direct.rps, 2),
      oauthRpsRatio: round(oauth.rps / direct.rps, 2),
      oauthTokenRequests: tokenRequests,
      oauthCalls: Math.round(oauth.rps * SECONDS),
    }),
  );
  await module.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  child.kill();
}
