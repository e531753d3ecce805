import { mkdirSync, statSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where one user's daemon keeps everything: token, logs, resources, cluster data. */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.KYMA_LOCAL_HOME;
  return override ? resolve(override) : join(homedir(), '.kyma-local');
}

export interface StatePaths {
  root: string;
  token: string;
  daemonInfo: string;
  log: string;
  resources: string;
  cluster: string;
  clusterState: string;
  cache: string;
  /** The kind runtime's cluster kubeconfig (0600), written by the daemon when the kind cluster is up. */
  kindKubeconfig: string;
}

export function statePaths(root: string): StatePaths {
  return {
    root,
    token: join(root, 'token'),
    daemonInfo: join(root, 'daemon.json'),
    log: join(root, 'daemon.log'),
    resources: join(root, 'resources'),
    cluster: join(root, 'cluster'),
    clusterState: join(root, 'cluster.json'),
    cache: join(root, 'cache'),
    kindKubeconfig: join(root, 'cluster', 'kind', 'kubeconfig'),
  };
}

/**
 * Creates the state dir private to the user (0700): it holds the API token and secrets, so another
 * user on the machine must not be able to read it.
 */
export function ensureStateDir(root: string): StatePaths {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const st = statSync(root);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    throw new Error(`State dir ${root} belongs to uid ${st.uid}, not to you (uid ${process.getuid()}) — set KYMA_LOCAL_HOME to a directory of your own`);
  }
  if ((st.mode & 0o077) !== 0) chmodSync(root, 0o700);
  const paths = statePaths(root);
  for (const dir of [paths.resources, paths.cluster, paths.cache]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return paths;
}
