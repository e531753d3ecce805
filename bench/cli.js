// How fast the CLI answers: wall time of `kyma-local get functions` against a running daemon, of
// `kyma-local --version`, and of a bare `node -e 0` as the floor, interleaved in the same run (figures drift);
// then the CLI's peak RSS (VmHWM) for `get functions`.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, REPO, percentile, round } from './lib-proc.js';
import { startHome } from './lib-daemon.js';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const PEAK_RSS = join(REPO, 'bench', 'lib-peak-rss.cjs');

function run(args, env) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    execFile(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(performance.now() - t);
    });
  });
}

const home = await startHome('cli', ['serverless']);
try {
  const cliMs = [];
  const versionMs = [];
  const nodeMs = [];
  // One warm-up of each so the page cache holds the files.
  await run([CLI, 'get', 'functions'], home.env);
  await run([CLI, '--version'], home.env);
  await run(['-e', '0'], home.env);
  for (let i = 0; i < runs; i++) {
    cliMs.push(await run([CLI, 'get', 'functions'], home.env));
    versionMs.push(await run([CLI, '--version'], home.env));
    nodeMs.push(await run(['-e', '0'], home.env));
  }
  const rssFile = join(home.dir, 'peak-rss.txt');
  for (let i = 0; i < 3; i++) await run(['--require', PEAK_RSS, CLI, 'get', 'functions'], { ...home.env, BENCH_PEAK_RSS_FILE: rssFile });
  const peakKb = readFileSync(rssFile, 'utf8').trim().split('\n').map(Number);
  rmSync(rssFile, { force: true });
  const cli = percentile(cliMs, 50);
  const node = percentile(nodeMs, 50);
  console.error(`get functions (ms): ${cliMs.map((v) => Math.round(v)).join(', ')}`);
  console.error(`node -e 0 (ms):     ${nodeMs.map((v) => Math.round(v)).join(', ')}`);
  console.log(
    JSON.stringify({
      bench: 'cli',
      runs,
      cli_ms_p50: round(cli),
      version_ms_p50: round(percentile(versionMs, 50)),
      node_ms_p50: round(node),
      cli_vs_node: round(cli / node, 2),
      cli_peak_rss_mb: round(Math.max(...peakKb) / 1024),
    }),
  );
} finally {
  await home.cleanup();
}
