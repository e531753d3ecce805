import { isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Daemon, daemonPortFromEnv, ensureDaemon, type DaemonClient } from '../../core/daemon/index.js';
import type { ProgressEvent, RuntimeStatus } from '../../core/daemon/index.js';
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

interface UpResult {
  type: 'result';
  ok: boolean;
  error?: string;
  status?: RuntimeStatus;
}

export async function runUp(client: DaemonClient, profile: string | undefined, offline = false): Promise<RuntimeStatus | undefined> {
  const onProgress = progressPrinter();
  let result: UpResult | undefined;
  await client.stream('POST', '/kl/v1/up', { ...(profile ? { profile } : {}), ...(offline ? { offline } : {}) }, (item) => {
    const it = item as { type: 'progress' | 'result' };
    if (it.type === 'progress') onProgress(item as ProgressEvent);
    else if (it.type === 'result') result = item as UpResult;
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
    .option('--offline', 'never download anything (a missing nats-server is an error that says which file to put where)', false)
    .action(async (opts: { profile?: string; foreground: boolean; offline: boolean }) => {
      const profile = profileArg(opts.profile);
      if (opts.foreground) {
        await runForeground(profile, opts.offline);
        return;
      }
      const { client, started } = await ensureDaemon(stateDir());
      process.stderr.write(started ? `Started the daemon (${client.url}, pid ${client.info?.pid})\n` : `Using the running daemon (${client.url})\n`);
      const status = await runUp(client, profile, opts.offline);
      if (status) process.stdout.write(renderStatus(status) + '\n');
    });
}

async function runForeground(profile: string | undefined, offline: boolean): Promise<void> {
  process.env.KYMA_LOCAL_FOREGROUND = '1';
  let port: number;
  try {
    port = daemonPortFromEnv();
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  const daemon = new Daemon({ stateDir: stateDir(), port, echoLogs: false });
  await daemon.start();
  const stop = (): void => {
    process.stderr.write('\nStopping…\n');
    void daemon.shutdown('Ctrl-C in the foreground terminal').then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const status = await daemon.up(profile, progressPrinter(), { offline });
    process.stdout.write(renderStatus(status) + '\n');
  } catch (err) {
    await daemon.shutdown('cluster failed to come up');
    throw new CliError(`cluster failed to come up: ${(err as Error).message}`);
  }
  process.stderr.write('Running in the foreground — press Ctrl-C to stop.\n');
  await daemon.stopped;
}
