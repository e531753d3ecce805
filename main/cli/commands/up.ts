import { isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { daemonEntry, daemonPortFromEnv, ensureDaemon, findDaemon, statePaths, type DaemonClient } from '../../core/daemon-client/index.js';
import { apiPath, type ProgressEvent, type ProgressLine, type RuntimeStatus, type UpPlan } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { stateDir } from '../context.js';
import { renderStatus } from './status.js';

/** A profile given as a file path must reach the daemon as an absolute path (its cwd differs). */
export function profileArg(profile: string | undefined): string | undefined {
  if (!profile) return undefined;
  const looksLikeFile = profile.includes('/') || /\.ya?ml$/.test(profile);
  if (!looksLikeFile) return profile;
  const abs = isAbsolute(profile) ? profile : resolve(profile);
  if (!existsSync(abs)) throw new CliError(`profile file ${profile} not found`);
  return abs;
}

const SYMBOL: Record<string, string> = { Ready: '✓', Failed: '✗', NotImplemented: '–', Disabled: ' ', Starting: '…', Pending: '·', CrashLoop: '!', Stopped: '■', Stopping: '…' };

export function progressPrinter(): (ev: ProgressEvent) => void {
  return (ev) => {
    if (ev.state === 'Pending' || ev.state === 'Disabled') return;
    const msg = ev.message ? `  ${ev.message}` : '';
    process.stderr.write(`  ${SYMBOL[ev.state] ?? '·'} ${ev.component.padEnd(22)} ${ev.state}${msg}\n`);
  };
}

type UpResult = Extract<ProgressLine, { type: 'result' }>;

export async function runUp(client: DaemonClient, profile: string | undefined): Promise<RuntimeStatus | undefined> {
  const onProgress = progressPrinter();
  let result: UpResult | undefined;
  await client.stream('POST', apiPath('up'), profile ? { profile } : {}, (item) => {
    const line = item as ProgressLine;
    if (line.type === 'progress') onProgress(line);
    else if (line.type === 'result') result = line;
  });
  if (!result) throw new CliError('the daemon closed the connection before reporting the result — see its log (`kyma-local status`)');
  if (!result.ok) throw new CliError(`cluster failed to come up: ${result.error ?? 'unknown reason'}`);
  return result.status;
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('start the daemon if needed and bring the local cluster up')
    .option('-p, --profile <name|file>', 'cluster profile: a name from cluster-profiles/ or a YAML file', undefined)
    .option('--foreground', 'run the daemon in this terminal (Ctrl-C stops it)', false)
    .option('--dry-run', 'print the plan (for kind: cluster config, pinned module manifests, images) and the preflight; change nothing', false)
    .action(async (opts: { profile?: string; foreground: boolean; dryRun: boolean }) => {
      const profile = profileArg(opts.profile);
      if (opts.dryRun) {
        await runDryRun(profile);
        return;
      }
      if (opts.foreground) {
        await runForeground(profile);
        return;
      }
      const { client, started } = await ensureDaemon(stateDir());
      process.stderr.write(started ? `Started the daemon (${client.url}, pid ${client.info?.pid})\n` : `Using the running daemon (${client.url})\n`);
      const status = await runUp(client, profile);
      if (status) process.stdout.write(renderStatus(status) + '\n');
    });
}

/** Plan on stdout (reviewable, YAML with comments), preflight on stderr; exit 1 when a check fails. */
async function runDryRun(profile: string | undefined): Promise<void> {
  const { client } = await ensureDaemon(stateDir());
  const plan = await client.request<UpPlan>('POST', apiPath('upPlan'), { body: profile ? { profile } : {} });
  process.stdout.write(plan.text);
  if (plan.checks.length > 0) process.stderr.write(`Preflight (${plan.runtime} runtime, profile ${plan.profile}):\n`);
  for (const c of plan.checks) {
    process.stderr.write(`  ${c.status === 'ok' ? '✓' : c.status === 'warn' ? '!' : '✗'} ${c.name.padEnd(16)} ${c.detail}\n`);
    if (c.fix && c.status !== 'ok') process.stderr.write(`    ${''.padEnd(16)} → ${c.fix}\n`);
  }
  const failed = plan.checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) throw new CliError(`preflight failed: ${failed.map((c) => c.name).join(', ')} — see the fixes above`);
}

/**
 * `up --foreground`: the daemon runs as a child process of this terminal (started by path, like `up` does in the
 * background) and stops with it; Ctrl-C stops the cluster and the daemon.
 */
async function runForeground(profile: string | undefined): Promise<void> {
  try {
    daemonPortFromEnv();
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  const dir = stateDir();
  const child = spawn(process.execPath, [daemonEntry()], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, KYMA_LOCAL_HOME: dir, KYMA_LOCAL_FOREGROUND: '0' },
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const ready = new Promise<boolean>((resolve) => {
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'ready') resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  if (!(await ready)) throw new CliError(`the daemon exited during startup (code ${await exited}) — see ${statePaths(dir).log}`);
  child.disconnect();
  const stop = (): void => {
    process.stderr.write('\nStopping…\n');
    child.kill('SIGTERM');
  };
  // The daemon is in this terminal's process group and gets Ctrl-C's SIGINT itself; it stops once either way.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const client = await findDaemon(dir);
  if (!client) {
    child.kill('SIGTERM');
    await exited;
    throw new CliError(`the daemon started but does not answer — see ${statePaths(dir).log}`);
  }
  try {
    const status = await runUp(client, profile);
    if (status) process.stdout.write(renderStatus(status) + '\n');
  } catch (err) {
    child.kill('SIGTERM');
    await exited;
    throw err;
  }
  process.stderr.write('Running in the foreground — press Ctrl-C to stop.\n');
  await exited;
  process.exit(0);
}
