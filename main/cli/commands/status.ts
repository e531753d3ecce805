import type { Command } from 'commander';
import { findDaemon, type DaemonClient } from '../../core/daemon-client/index.js';
import { apiPath, type DaemonStatusReport, type FunctionDetails, type RuntimeStatus } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { stateDir } from '../context.js';
import { table } from '../output.js';
import { apiRuleLines } from '../apirule-lines.js';

export function renderStatus(s: RuntimeStatus): string {
  const head = `Runtime: ${s.runtime}   Profile: ${s.profile ?? '-'}   Phase: ${s.phase}${s.startedAt ? `   Up since: ${s.startedAt}` : ''}`;
  const rows = s.components.map((c) => [
    c.name,
    c.kind,
    c.state + (c.restarts ? ` (${c.restarts} restarts)` : ''),
    c.pid,
    c.ports ? Object.entries(c.ports).map(([k, v]) => `${k}=${v}`).join(',') : '',
    c.urls ? Object.values(c.urls).join(' ') : '',
    c.message ?? '',
  ]);
  const notes = (s.notes ?? []).map((n) => `Note: ${n}`);
  return [head, '', table(['COMPONENT', 'KIND', 'STATE', 'PID', 'PORTS', 'URLS', 'MESSAGE'], rows), ...notes].join('\n');
}

/** Each function with its revision, replicas and how to reach it (in the cluster, and from this machine). */
export function renderFunctions(items: FunctionDetails[]): string {
  if (items.length === 0) return '';
  const rows = items.map((f) => [`${f.namespace}/${f.name}`, f.currentRevision, `${f.readyReplicas}/${f.desiredReplicas}`, f.access?.inCluster, f.access ? `${f.access.hostUrl}${f.access.hostHeader ? ` (Host: ${f.access.hostHeader})` : ''}` : '']);
  const curls = items.filter((f) => f.access).map((f) => `  ${f.access!.curl}`);
  return [table(['FUNCTION', 'REVISION', 'READY', 'IN-CLUSTER URL', 'FROM THIS MACHINE'], rows), ...(curls.length ? ['', 'Call a function from a terminal:', ...curls] : [])].join('\n');
}

/** The functions the serverless module runs; none while it is not running. */
export async function listFunctions(c: DaemonClient): Promise<FunctionDetails[]> {
  try {
    return (await c.request<{ items: FunctionDetails[] }>('GET', apiPath('functions'))).items;
  } catch {
    return [];
  }
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show the runtime, profile, each module and process, with pids, ports and URLs')
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (opts: { output?: string }) => {
      if (opts.output && opts.output !== 'json') throw new CliError(`unknown output format "${opts.output}" — use -o json`);
      const client = await findDaemon(stateDir());
      if (!client) {
        if (opts.output === 'json') {
          process.stdout.write(JSON.stringify({ daemon: null, cluster: null }, null, 2) + '\n');
          return;
        }
        throw new CliError('daemon not running — run `kyma-local up`', 3);
      }
      const report = await client.request<DaemonStatusReport>('GET', apiPath('status'));
      if (opts.output === 'json') {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
      }
      process.stdout.write(renderStatus(report.cluster) + '\n\n');
      const fns = renderFunctions(await listFunctions(client));
      if (fns) process.stdout.write(fns + '\n\n');
      const rules = report.cluster.components.some((x) => x.name === 'api-gateway' && x.state === 'Ready') ? await apiRuleLines(client) : '';
      if (rules) process.stdout.write(`${rules}\n\n`);
      process.stdout.write(`Daemon: pid ${report.daemon.pid}, ${report.daemon.url}, version ${report.daemon.version}\n`);
      process.stdout.write(`State:  ${report.daemon.stateDir} (log: ${report.daemon.logFile})\n`);
    });
}
