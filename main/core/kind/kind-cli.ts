import { execa } from 'execa';
import { classifyKindError, parseKindProgress, type KindProgress } from './kind-errors.js';

export interface KindCliOptions {
  kindPath: string;
  env?: NodeJS.ProcessEnv;
}

/** Splits a stream's chunks into lines (kind rewrites its spinner line with \r). */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString();
    const parts = rest.split(/\r?\n|\r/);
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim() !== '') onLine(p);
  };
}

export interface CreateOptions extends KindCliOptions {
  name: string;
  configYaml: string;
  /** Where kind writes the cluster's kubeconfig (instead of ~/.kube/config). */
  kubeconfigPath: string;
  /** kind's `--wait`, e.g. "120s". */
  wait?: string;
  onProgress?: (p: KindProgress) => void;
  onLine?: (line: string) => void;
}

/** `kind create cluster` with the config on stdin; rejects with a classified KindError. */
export async function createCluster(opts: CreateOptions): Promise<void> {
  const args = ['create', 'cluster', '--name', opts.name, '--config', '-', '--kubeconfig', opts.kubeconfigPath, '--wait', opts.wait ?? '120s'];
  const sub = execa(opts.kindPath, args, { input: opts.configYaml, reject: false, env: opts.env, extendEnv: true, all: true });
  const onLine = (line: string): void => {
    opts.onLine?.(line);
    const p = parseKindProgress(line);
    if (p) opts.onProgress?.(p);
  };
  sub.all?.on('data', lineSplitter(onLine));
  const result = await sub;
  if (result.exitCode !== 0) throw classifyKindError(String(result.all ?? result.stderr ?? ''), opts.name);
}

/** Idempotent, like kind itself: no error when the cluster is absent. */
export async function deleteCluster(opts: KindCliOptions & { name: string; kubeconfigPath?: string }): Promise<void> {
  const args = ['delete', 'cluster', '--name', opts.name, ...(opts.kubeconfigPath ? ['--kubeconfig', opts.kubeconfigPath] : [])];
  const result = await execa(opts.kindPath, args, { reject: false, env: opts.env, extendEnv: true, all: true });
  if (result.exitCode !== 0) throw classifyKindError(String(result.all ?? ''), opts.name);
}

/** Cluster names kind knows (stopped clusters included, since kind reads `docker ps -a`). */
export async function getClusters(opts: KindCliOptions): Promise<string[]> {
  const result = await execa(opts.kindPath, ['get', 'clusters'], { reject: false, env: opts.env, extendEnv: true, all: true });
  if (result.exitCode !== 0) throw classifyKindError(String(result.all ?? ''), '');
  return String(result.stdout).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('No kind clusters'));
}

/** `kind get kubeconfig`; `internal` gives the node address, for containers on network `kind`. */
export async function getKubeconfig(opts: KindCliOptions & { name: string; internal?: boolean }): Promise<string> {
  const args = ['get', 'kubeconfig', '--name', opts.name, ...(opts.internal ? ['--internal'] : [])];
  const result = await execa(opts.kindPath, args, { reject: false, env: opts.env, extendEnv: true, all: true });
  if (result.exitCode !== 0) throw classifyKindError(String(result.all ?? ''), opts.name);
  return String(result.stdout);
}
