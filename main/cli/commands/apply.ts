import type { Command } from 'commander';
import { DaemonRequestError, type DaemonClient } from '../../core/daemon-client/index.js';
import { apiPath, type DaemonStatusReport } from '../../core/api/index.js';
import type { KubeObject } from '../../core/model/index.js';
import { MODULE_OF_KIND, moduleNotRunningMessage } from '../../core/profiles/index.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';
import { describeObject, locate, readManifests, type Manifest } from '../manifests.js';
import { applyObject } from '../resource-client.js';

/** Turns a 422 into one line per bad field, each pointing at file:line:column in the manifest. */
export function explainApiError(err: unknown, m: Manifest): Error {
  if (!(err instanceof DaemonRequestError)) return err instanceof Error ? err : new Error(String(err));
  const causes = err.status?.details?.causes ?? [];
  if (err.code === 422 && causes.length > 0) {
    const lines = causes.map((c) => `  ${locate(m, c.field)}: ${c.field}: ${c.message}`);
    return new CliError(`${describeObject(m.object)} is invalid:\n${lines.join('\n')}`);
  }
  return new CliError(`${locate(m, 'metadata')}: ${describeObject(m.object)}: ${err.message}`);
}

/** One warning line per applied object whose module is not running: it is stored, but nothing serves it. */
export async function warnAboutAbsentModules(c: DaemonClient, applied: KubeObject[]): Promise<void> {
  const kinds = applied.filter((o) => MODULE_OF_KIND[o.kind]);
  if (kinds.length === 0) return;
  const { cluster } = await c.request<DaemonStatusReport>('GET', apiPath('status'));
  if (cluster.phase === 'Stopped') return;
  for (const o of kinds) {
    const module = MODULE_OF_KIND[o.kind]!;
    const state = cluster.components.find((x) => x.name === module)?.state;
    if (state !== 'Disabled' && state !== 'NotImplemented') continue;
    process.stderr.write(`Warning: ${describeObject(o)}: ${moduleNotRunningMessage(o.kind, module, state, cluster.profile)}\n`);
  }
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('create or update resources from YAML files, a directory, or - for stdin')
    .requiredOption('-f, --filename <path...>', 'file, directory or - (repeatable)')
    .action(async (opts: { filename: string[] }) => {
      const manifests = readManifests(opts.filename);
      if (manifests.length === 0) throw new CliError(`no objects found in ${opts.filename.join(', ')}`);
      const c = await client();
      const failures: string[] = [];
      const applied: KubeObject[] = [];
      for (const m of manifests) {
        try {
          const { outcome, object } = await applyObject(c, m.object);
          applied.push(object);
          process.stdout.write(`${describeObject(object)} ${outcome}\n`);
        } catch (err) {
          failures.push(explainApiError(err, m).message);
        }
      }
      await warnAboutAbsentModules(c, applied);
      if (failures.length > 0) throw new CliError(failures.join('\n'));
    });
}
