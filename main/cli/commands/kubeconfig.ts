import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { connectDaemon, statePaths } from '../../core/daemon-client/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { apiPath, type DaemonStatusReport } from '../../core/api/index.js';
import { stateDir } from '../context.js';
import { CliError } from '../cli-error.js';

export function kubeconfigYaml(url: string, token: string): string {
  const name = 'kyma-local';
  // kubectl sends user.token only over https; over http it sends the URL's userinfo as Basic auth, which the
  // daemon accepts, so the token rides in the server URL (and stays in user.token for clients that use it).
  const server = new URL(url);
  server.username = 'kyma-local';
  server.password = token;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: server.toString().replace(/\/$/, '') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export function registerKubeconfig(program: Command): void {
  program
    .command('kubeconfig')
    .description("print a kubeconfig for the running daemon's API, or the kind cluster's on the kind runtime (or write it with --write)")
    .option('-w, --write <file>', 'write it to this file (0600) instead of printing')
    .option('--daemon', "the daemon's own Kubernetes-shaped API even on the kind runtime", false)
    .action(async (opts: { write?: string; daemon: boolean }) => {
      const client = await connectDaemon(stateDir());
      const paths = statePaths(stateDir());
      const report = await client.request<DaemonStatusReport>('GET', apiPath('status'));
      let text: string;
      if (!opts.daemon && report.cluster?.runtime === 'kind') {
        if (!existsSync(paths.kindKubeconfig)) throw new CliError(`the kind cluster has no kubeconfig yet (${paths.kindKubeconfig}) — run \`kyma-local up --profile kind\` first, or pass --daemon for the daemon's API`);
        text = readFileSync(paths.kindKubeconfig, 'utf8');
      } else {
        let token: string;
        try {
          token = readFileSync(paths.token, 'utf8').trim();
        } catch (err) {
          throw new CliError(`cannot read the API token: ${(err as Error).message}`);
        }
        text = kubeconfigYaml(client.url, token);
      }
      if (opts.write) {
        writeFileSync(opts.write, text, { mode: 0o600 });
        process.stderr.write(`Wrote ${opts.write} — use it with: kubectl --kubeconfig ${opts.write} get functions\n`);
      } else process.stdout.write(text);
    });
}
