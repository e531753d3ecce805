import type { Command } from 'commander';
import { apiPath, type DoctorCheck, type DoctorReport, type SetupResult, type TaskLine } from '../../core/api/index.js';
import { ensureDaemon, type DaemonClient } from '../../core/daemon-client/index.js';
import { CliError } from '../cli-error.js';
import { stateDir } from '../context.js';
import { profileArg } from './up.js';

const MARK: Record<DoctorCheck['status'], string> = { ok: '✓', warn: '!', fail: '✗' };

export function renderChecks(checks: DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks.map((c) => `${MARK[c.status]} ${c.name.padEnd(width)}  ${c.detail}${c.fix ? `\n  ${' '.repeat(width)}  → ${c.fix}` : ''}`).join('\n');
}

/**
 * The checks run in the daemon (started if needed), not in this process: what matters is the environment `up` runs
 * in — the daemon's PATH, state dir, the desktop app's bundled nats-server — and the CLI never loads runtimes.
 */
async function daemonOrFailure(): Promise<{ client?: DaemonClient; checks: DoctorCheck[] }> {
  try {
    const { client, started } = await ensureDaemon(stateDir());
    return { client, checks: [{ name: 'daemon', status: 'ok', detail: `${started ? 'started' : 'running'} at ${client.url} (pid ${client.info?.pid ?? '?'})` }] };
  } catch (err) {
    return { checks: [{ name: 'daemon', status: 'fail', detail: (err as Error).message, fix: 'see the message; the daemon log is daemon.log in the state dir' }] };
  }
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check everything the chosen profile needs on this machine; each line OK or the fix')
    .option('-p, --profile <name|file>', 'cluster profile (default: the last one used, else default)')
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (opts: { profile?: string; output?: string }) => {
      if (opts.output && opts.output !== 'json') throw new CliError(`unknown output format "${opts.output}" — use -o json`);
      const profile = profileArg(opts.profile);
      const { client, checks } = await daemonOrFailure();
      let name = profile ?? '';
      if (client) {
        const report = await client.request<DoctorReport>('GET', apiPath('doctor', {}, { profile }));
        checks.push(...report.checks);
        name = report.profile;
      }
      if (opts.output === 'json') process.stdout.write(JSON.stringify({ profile: name, checks }, null, 2) + '\n');
      else process.stdout.write(`${renderChecks(checks)}\n`);
      const failed = checks.filter((c) => c.status === 'fail').length;
      if (failed > 0) throw new CliError(`${failed} check(s) failed — see the fixes above`, 1);
    });

  program
    .command('setup')
    .description('fetch what the profile needs (nats-server for embedded) now, so a later `up` works offline')
    .option('-p, --profile <name|file>', 'cluster profile (default: the last one used, else default)')
    .option('--offline', 'do not download; report what is missing and where to put it', false)
    .action(async (opts: { profile?: string; offline: boolean }) => {
      const profile = profileArg(opts.profile);
      const { client } = await ensureDaemon(stateDir());
      let result: Extract<TaskLine<SetupResult>, { type: 'result' }> | undefined;
      await client.stream('POST', apiPath('setup'), { ...(profile ? { profile } : {}), offline: opts.offline }, (item) => {
        const line = item as TaskLine<SetupResult>;
        if (line.type === 'progress') process.stderr.write(`  · ${line.message}\n`);
        else result = line;
      });
      if (!result) throw new CliError('the daemon closed the connection before reporting the result — see its log (`kyma-local status`)');
      if (!result.ok) throw new CliError(`setup failed: ${result.error}`);
      for (const done of result.done) process.stdout.write(`✓ ${done}\n`);
    });
}
