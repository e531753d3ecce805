// Shared helpers for benchmarks: percentiles, RSS of a pid, running the CLI.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync, execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
export const CLI = join(REPO, 'bin', 'kyma-local.js');

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/**
 * Appends every item of `items` to `into`. `into.push(...items)` passes each item as an argument, and a fast
 * machine records enough latencies to overflow the call stack that way.
 */
export function appendAll(into, items) {
  for (const x of items) into.push(x);
  return into;
}

/** The largest value; `Math.max(...values)` overflows the call stack for long lists. */
export function maxOf(values) {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export function cliSync(args, env) {
  return execFileSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function cli(args, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

export const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** CPU ms (user + system) used so far by `rootPid` and each of its descendants, keyed "pid name". */
export function cpuTree(rootPid) {
  const procs = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const name = cmd.some((a) => a.includes('function-runtime')) ? 'worker' : cmd.some((a) => a.includes('nats-server')) ? 'nats-server' : cmd.some((a) => /daemon/.test(a)) ? 'daemon' : stat.slice(stat.indexOf('(') + 1, close);
      procs.set(Number(d), { ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS, name });
    } catch {
      // exited meanwhile
    }
  }
  const out = {};
  const walk = (pid) => {
    const p = procs.get(pid);
    if (!p) return;
    out[`${pid} ${p.name}`] = p.ms;
    for (const [c, q] of procs) if (q.ppid === pid) walk(c);
  };
  walk(rootPid);
  return out;
}

/** The difference of two cpuTree snapshots, in CPU ms per `per` units (e.g. per event). */
export function cpuDelta(before, after, per = 1) {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, round((v - (before[k] ?? 0)) / per, 3)]).filter(([, v]) => v > 0));
}
const TICKS = 100; // USER_HZ on Linux
