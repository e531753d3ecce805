// Snapshot of a 10-function demo (half with an npm dependency, all watched as dev folders, eventing on):
// `snapshot save` time and file size, then `snapshot load` into fresh homes with the npm registry unreachable,
// timed from the command's start until it reports every function Ready (it waits for them). Baseline in the same
// run: a cold `up` of the same profile in a fresh home (no functions).
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, percentile, round } from './lib-proc.js';
import { startHome, waitUntil, writeFunctionFolder } from './lib-daemon.js';

const FUNCTIONS = Number(process.env.BENCH_FUNCTIONS ?? 10);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const MODULES = ['serverless', 'eventing'];

async function deadRegistry() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}/`;
}

function freshHome(name) {
  const dir = mkdtempSync(join(tmpdir(), `kl-bench-snapshot-${name}-`));
  const env = { KYMA_LOCAL_HOME: dir, KYMA_LOCAL_DAEMON_PORT: '0', NO_COLOR: '1' };
  return {
    dir,
    env,
    async cleanup() {
      await cli(['daemon', 'stop'], env).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const source = await startHome('snapshot-src', MODULES);
const homes = [];
try {
  const lib = join(source.dir, 'lib-greeter');
  mkdirSync(lib);
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'lib-greeter', version: '1.0.0', main: 'index.js' }));
  writeFileSync(join(lib, 'index.js'), 'module.exports = (n) => `hello ${n}`;\n');
  const root = join(source.dir, 'fns');
  for (let i = 0; i < FUNCTIONS; i++) {
    const dir = join(root, `fn${i}`);
    mkdirSync(dir, { recursive: true });
    const withDep = i % 2 === 0;
    writeFunctionFolder(dir, `fn${i}`, withDep ? `const g = require('lib-greeter'); module.exports = { main: async () => g(${i}) };\n` : `module.exports = { main: async () => 'fn${i}' };\n`);
    if (withDep) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `fn${i}`, version: '0.0.1', dependencies: { 'lib-greeter': `file:${lib}` } }));
  }
  await source.api('/kl/v1/dev', { method: 'POST', body: JSON.stringify({ dirs: [root] }) });
  await waitUntil(async () => {
    const fns = await source.api('/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/functions');
    return fns.items.length === FUNCTIONS && fns.items.every((f) => (f.status?.conditions ?? []).some((c) => c.type === 'Running' && c.status === 'True'));
  }, `${FUNCTIONS} functions Ready in the source home`, 180_000, 100);

  const file = join(source.dir, 'demo.kyma');
  let t = performance.now();
  await cli(['snapshot', 'save', file], source.env);
  const saveMs = performance.now() - t;
  const bytes = statSync(file).size;

  const profile = join(source.dir, 'bench.yaml');
  const base = freshHome('baseline');
  homes.push(base);
  t = performance.now();
  await cli(['up', '--profile', profile], base.env);
  const baselineUpMs = performance.now() - t;

  const registry = await deadRegistry();
  const loadMs = [];
  for (let i = 0; i < runs; i++) {
    const h = freshHome(`load${i}`);
    homes.push(h);
    t = performance.now();
    const r = await cli(['snapshot', 'load', file], { ...h.env, npm_config_registry: registry });
    loadMs.push(performance.now() - t);
    if (!r.stdout.includes(`${FUNCTIONS}/${FUNCTIONS} function(s) Ready`)) throw new Error(`load did not report every function Ready: ${r.stdout}`);
    await h.cleanup();
  }
  console.error(`load runs (ms): ${loadMs.map((v) => Math.round(v)).join(', ')}`);
  console.log(
    JSON.stringify({
      bench: 'snapshot',
      functions: FUNCTIONS,
      runs,
      save_ms: round(saveMs),
      bytes,
      load_to_ready_ms: round(percentile(loadMs, 50)),
      load_to_ready_ms_max: round(Math.max(...loadMs)),
      baseline_cold_up_ms: round(baselineUpMs),
      goal_load_to_ready_ms: 5000,
    }),
  );
} finally {
  for (const h of homes) await h.cleanup();
  await source.cleanup();
}
