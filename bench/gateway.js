// Requests/s and p99 of one hello function reached three ways in the same run, by the same closed-loop client:
// directly through the mesh (as in-cluster callers and `kyma-local invoke` reach it), through the API gateway with a
// noAuth APIRule, and through the gateway with a jwt APIRule (a token from the embedded issuer). Rounds alternate so
// a burst of other load on the machine hits all three alike.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHome, waitUntil, writeFunctionFolder } from './lib-daemon.js';
import { closedLoop } from './lib-load.js';
import { percentile, round } from './lib-proc.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 4000);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const home = await startHome('gateway', ['serverless', 'api-gateway', 'telemetry']);
try {
  const fnDir = join(home.dir, 'fns', 'hello');
  mkdirSync(fnDir, { recursive: true });
  writeFunctionFolder(fnDir, 'hello', "module.exports = { main: async () => 'hello' };\n");
  await home.cli(['dev', join(home.dir, 'fns'), '--detach']);
  const gw = home.components['api-gateway'];
  const gatewayUrl = gw.urls.gateway;
  const issuer = gw.urls.issuer;
  const mesh = home.components.serverless.urls.mesh;
  const rules = (name, rule) => ({
    apiVersion: 'gateway.kyma-project.io/v2',
    kind: 'APIRule',
    metadata: { name, namespace: 'default' },
    spec: { hosts: [name], service: { name: 'hello', port: 80 }, rules: [{ path: '/*', methods: ['GET'], ...rule }] },
  });
  const apply = (obj) => home.api(`/apis/gateway.kyma-project.io/v2/namespaces/default/apirules`, { method: 'POST', body: JSON.stringify(obj) });
  await apply(rules('hello', { noAuth: true }));
  await apply(rules('hello-jwt', { jwt: { authentications: [{ issuer, jwksUri: `${issuer}/jwks` }], authorizations: [{ requiredScopes: ['read'] }] } }));
  const { accessToken } = await home.api('/kl/v1/gateway/token', { method: 'POST', body: JSON.stringify({ scopes: ['read'], ttlSeconds: 3600 }) });

  const ways = {
    direct: { url: `${mesh}/`, headers: { host: 'hello.default.svc.cluster.local' } },
    gateway: { url: `${gatewayUrl}/`, headers: { host: 'hello.localhost' } },
    jwt: { url: `${gatewayUrl}/`, headers: { host: 'hello-jwt.localhost', authorization: `Bearer ${accessToken}` } },
  };
  for (const [name, w] of Object.entries(ways)) {
    await waitUntil(async () => (await probe(w)) === 200, `${name} to answer 200`, 60_000, 200);
  }
  const acc = Object.fromEntries(Object.keys(ways).map((k) => [k, { rps: [], lat: [], failed: 0 }]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, w] of Object.entries(ways)) {
      const r = await closedLoop({ url: w.url, headers: w.headers, connections, warmupMs, durationMs });
      acc[name].rps.push(r.rps);
      acc[name].lat.push(...r.latencies);
      acc[name].failed += r.failed;
    }
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rps = (k) => mean(acc[k].rps);
  const p99 = (k) => percentile(acc[k].lat, 99);
  for (const k of Object.keys(ways)) console.error(`${k}: rps per round ${acc[k].rps.map((x) => Math.round(x)).join(', ')}; p50 ${round(percentile(acc[k].lat, 50), 2)} ms, p99 ${round(p99(k), 2)} ms; failed ${acc[k].failed}`);
  console.log(
    JSON.stringify({
      bench: 'gateway',
      gateway_rps: Math.round(rps('gateway')),
      direct_rps: Math.round(rps('direct')),
      ratio: round(rps('gateway') / rps('direct'), 2),
      added_p99_ms: round(p99('gateway') - p99('direct'), 2),
      jwt_rps: Math.round(rps('jwt')),
      jwt_ratio: round(rps('jwt') / rps('direct'), 2),
      gateway_p99_ms: round(p99('gateway'), 2),
      direct_p99_ms: round(p99('direct'), 2),
      jwt_p99_ms: round(p99('jwt'), 2),
      connections,
      rounds,
      failed: acc.direct.failed + acc.gateway.failed + acc.jwt.failed,
    }),
  );
} finally {
  await home.cleanup();
}

/** fetch() cannot set Host; one request with node:http can. */
async function probe(w) {
  const http = await import('node:http');
  const u = new URL(w.url);
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, headers: w.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}
