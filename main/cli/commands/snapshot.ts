import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SnapshotLoadResult, SnapshotManifest, SnapshotSaveResult } from '../../core/api/index.js';
import { resolveStateDir } from '../../core/daemon-client/index.js';
import { renderManifest, SnapshotError, verifySnapshot } from '../../core/snapshot/index.js';
import { CliError } from '../cli-error.js';
import { daemonTask } from '../daemon-task.js';
import { stateDir } from '../context.js';

export function registerSnapshot(program: Command): void {
  const snapshot = program.command('snapshot').description('save a whole local cluster to one file, load it elsewhere, or look inside one');

  snapshot
    .command('save <file>')
    .description('write the profile, every resource, dev folder sources and the npm dependencies functions need to one file')
    .option('--with-events', "include JetStream's stored events and the event inspector's records", false)
    .option('--with-telemetry', 'include the stored traces, logs and metrics', false)
    .option('--include-secrets', 'include Secrets (in plain text inside the file)', false)
    .option('--force', 'overwrite an existing file', false)
    .action(async (file: string, opts: { withEvents: boolean; withTelemetry: boolean; includeSecrets: boolean; force: boolean }) => {
      const abs = resolve(file);
      if (existsSync(abs) && !opts.force) throw new CliError(`${file} exists — pick another name or add --force to overwrite it`, 2);
      if (opts.includeSecrets) process.stderr.write('Warning: --include-secrets writes Secrets in plain text into the snapshot; share it only with people who may read them\n');
      const r = await daemonTask<SnapshotSaveResult>('snapshotSave', { file: abs, withEvents: opts.withEvents, withTelemetry: opts.withTelemetry, includeSecrets: opts.includeSecrets }, { home: stateDir(), env: process.env });
      process.stdout.write(`Saved ${abs} (${(r.bytes / 1024).toFixed(1)} KiB: ${r.manifest.contents.functions.length} function(s), ${r.manifest.entries.length} entries)\n`);
    });

  snapshot
    .command('load <file>')
    .description('verify a snapshot, restore it and bring the cluster up')
    .option('--into <home>', 'restore into another (new) state dir instead of KYMA_LOCAL_HOME; its daemon gets its own port')
    .option('--replace', 'overwrite a cluster that already has resources or dev folders', false)
    .action(async (file: string, opts: { into?: string; replace: boolean }) => {
      const abs = resolve(file);
      if (!existsSync(abs)) throw new CliError(`${file} not found`, 2);
      let home = stateDir();
      let env = process.env;
      if (opts.into) {
        home = resolveStateDir({ KYMA_LOCAL_HOME: opts.into });
        // Another home's daemon must not fight this one's for the default port.
        env = { ...process.env, KYMA_LOCAL_HOME: home, KYMA_LOCAL_DAEMON_PORT: process.env.KYMA_LOCAL_DAEMON_PORT ?? '0' };
      }
      const r = await daemonTask<SnapshotLoadResult>('snapshotLoad', { file: abs, replace: opts.replace }, { home, env });
      process.stdout.write(`Loaded ${abs} into ${home}: profile ${r.manifest.profile.name}, ${r.functions.ready}/${r.functions.total} function(s) Ready\n`);
      if (opts.into) process.stdout.write(`Use it with KYMA_LOCAL_HOME=${home} kyma-local status\n`);
    });

  snapshot
    .command('inspect <file>')
    .description('check a snapshot file and list what is inside (no daemon needed)')
    .option('-o, --output <format>', 'json for the manifest')
    .action(async (file: string, opts: { output?: string }) => {
      if (opts.output && opts.output !== 'json') throw new CliError(`unknown output format "${opts.output}" — use -o json`);
      const abs = resolve(file);
      if (!existsSync(abs)) throw new CliError(`${file} not found`, 2);
      let manifest: SnapshotManifest;
      try {
        manifest = await verifySnapshot(abs);
      } catch (err) {
        if (err instanceof SnapshotError) throw new CliError(err.message);
        throw err;
      }
      if (opts.output === 'json') process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
      else process.stdout.write(renderManifest(manifest, statSync(abs).size) + '\n');
    });
}
