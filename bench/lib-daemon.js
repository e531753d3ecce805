// A throwaway Kyma Local home for a benchmark: a profile with every port 0, `up`, the daemon API with its
// token, component URLs from status, and a cleanup that stops the daemon and removes the folder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './lib-proc.js';

export async function startHome(name, modules) {
  const dir = mkdtempSync(join(tmpdir(), `kl-bench-${name}-`));
  const env = { KYMA_LOCAL_HOME: dir, KYMA_LOCAL_DAEMON_PORT: '0', NO_COLOR: '1', ...(process.env.KYMA_LOCAL_CPU_PROFILE ? { KYMA_LOCAL_CPU_PROFILE: process.env.KYMA_LOCAL_CPU_PROFILE } : {}) };
  const profile = join(dir, 'bench.yaml');
  writeFileSync(
    profile,
    [
      'apiVersion: kyma-local.io/v1alpha1',
      'kind: ClusterProfile',
      'metadata:',
      '  name: bench',
      'spec:',
      '  runtime: embedded',
      '  modules:',
      ...modules.map((m) => `    - ${m}`),
      '  ports:',
      '    nats: 0',
      '    gateway: 0',
      '    publisher: 0',
      '    otlp: 0',
      '',
    ].join('\n'),
  );
  const home = {
    dir,
    env,
    cli: (args) => cli(args, env),
    async cleanup() {
      if (process.env.BENCH_KEEP) return console.error(`kept ${dir} (daemon still running)`);
      try {
        await cli(['daemon', 'stop'], env);
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Interrupted (Ctrl-C, timeout): still stop the daemon and remove the folder.
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => void home.cleanup().finally(() => process.exit(130)));
  }
  try {
    await home.cli(['up', '--profile', profile]);
    const info = JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8'));
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    home.url = info.url;
    home.pid = info.pid;
    home.api = async (path, init = {}) => {
      const res = await fetch(`${info.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const status = await home.api('/kl/v1/status');
    home.components = Object.fromEntries((status.cluster?.components ?? status.components ?? []).map((c) => [c.name, c]));
    return home;
  } catch (err) {
    await home.cleanup();
    throw err;
  }
}

/** A function folder in the Kyma CLI layout (config.yaml + handler.js + package.json). */
export function writeFunctionFolder(dir, name, handler, extraConfig = '') {
  writeFileSync(join(dir, 'config.yaml'), `schemaVersion: v1\nname: ${name}\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n${extraConfig}`);
  writeFileSync(join(dir, 'handler.js'), handler);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.1', dependencies: {} }));
}

export async function waitUntil(pred, what, timeoutMs = 30_000, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
