// Requests/s and p99 of a hello function through the function runtime (a real worker process from
// dist/main/core/function-runtime/server.js, as serverless starts it — on a Unix socket — but without tracing
// endpoint) vs a bare node:http server process on a loopback port returning the same body; same client
// (lib-load.js closed loop), same run. BENCH_RUNTIME_TCP=1 runs the worker on a loopback port instead.
// The client shares the machine's cores with the server under test, equally for both.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedLoop } from './lib-load.js';
import { appendAll, percentile, REPO, round } from './lib-proc.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2); // alternating, so a burst of other load hits both alike

const dir = mkdtempSync(join(tmpdir(), 'kl-bench-runtime-'));
const procs = [];
const BARE = `
const http = require('node:http');
const s = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end('hello'); }); });
s.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: s.address().port }));
`;

function start(entry, env, args = []) {
  const proc = fork(entry, args, { env: { PATH: process.env.PATH ?? '', ...env }, silent: true });
  procs.push(proc);
  let err = '';
  proc.stderr.on('data', (c) => (err += c));
  proc.stdout.resume();
  return new Promise((resolve, reject) => {
    proc.on('message', (m) => m?.type === 'ready' && resolve(m.socket ? { url: 'http://localhost/', socketPath: m.socket } : { url: `http://127.0.0.1:${m.port}/` }));
    proc.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before ready: ${err}`)));
  });
}

try {
  writeFileSync(join(dir, 'handler.js'), "module.exports = { main: async () => 'hello' };\n");
  writeFileSync(join(dir, 'package.json'), '{"name":"hello","version":"1.0.0"}');
  writeFileSync(join(dir, 'bare.cjs'), BARE);
  const tcp = process.env.BENCH_RUNTIME_TCP === '1';
  const fnTarget = await start(join(REPO, 'dist/main/core/function-runtime/server.js'), {
    FUNC_HANDLER_DIR: dir,
    ...(tcp ? { FUNC_PORT: '0', FUNC_HOST: '127.0.0.1' } : { FUNC_SOCKET: join(dir, 'worker.sock') }),
    FUNC_NAME: 'hello',
    SERVICE_NAMESPACE: 'default',
    KYMA_LOCAL_LOG_FORMAT: 'json',
  });
  const bareTarget = await start(join(dir, 'bare.cjs'), {});
  const fn = { rps: [], lat: [], failed: 0 };
  const bare = { rps: [], lat: [], failed: 0 };
  for (let i = 0; i < rounds; i++) {
    for (const [acc, target] of [[fn, fnTarget], [bare, bareTarget]]) {
      const r = await closedLoop({ ...target, connections, warmupMs, durationMs });
      acc.rps.push(r.rps);
      appendAll(acc.lat, r.latencies);
      acc.failed += r.failed;
    }
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.error(`runtime rps per round: ${fn.rps.map((x) => Math.round(x)).join(', ')}; bare: ${bare.rps.map((x) => Math.round(x)).join(', ')}`);
  console.error(`p50 runtime ${round(percentile(fn.lat, 50), 2)} ms, bare ${round(percentile(bare.lat, 50), 2)} ms; failed ${fn.failed}/${bare.failed}; ${connections} connections`);
  const rps = mean(fn.rps);
  const bareRps = mean(bare.rps);
  console.log(
    JSON.stringify({
      bench: 'runtime',
      transport: fnTarget.socketPath ? 'unix' : 'tcp',
      rps: Math.round(rps),
      bare_rps: Math.round(bareRps),
      ratio: round(rps / bareRps, 2),
      p99_ms: round(percentile(fn.lat, 99), 2),
      bare_p99_ms: round(percentile(bare.lat, 99), 2),
      connections,
      failed: fn.failed + bare.failed,
    }),
  );
} finally {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
