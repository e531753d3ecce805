import type { Command } from 'commander';
import { DaemonRequestError } from '../../core/daemon-client/index.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';
import { describeObject, readManifests } from '../manifests.js';
import { objectPath, typeOf } from '../resource-client.js';
import { resolveKind } from './get.js';

export function registerDelete(program: Command): void {
  program
    .command('delete')
    .description('delete a resource by kind and name, or everything in the given files')
    .argument('[kind]', 'functions|fn, subscriptions, apirules, applications, secrets, configmaps')
    .argument('[name]', 'resource name')
    .option('-f, --filename <path...>', 'delete the objects in these files/directories')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--ignore-not-found', 'do not fail when it does not exist', false)
    .action(async (kind: string | undefined, name: string | undefined, opts: { filename?: string[]; namespace: string; ignoreNotFound: boolean }) => {
      const targets: Array<{ label: string; path: string }> = [];
      if (opts.filename) {
        if (kind) throw new CliError('give either KIND NAME or -f FILE, not both');
        for (const m of readManifests(opts.filename)) {
          const type = typeOf(m.object);
          targets.push({ label: describeObject(m.object), path: objectPath(type, m.object.metadata.namespace ?? opts.namespace, m.object.metadata.name) });
        }
      } else {
        if (!kind || !name) throw new CliError('usage: kyma-local delete KIND NAME, or kyma-local delete -f FILE');
        const type = resolveKind(kind);
        targets.push({ label: `${type.singular} ${type.namespaced ? `${opts.namespace}/` : ''}${name}`, path: objectPath(type, opts.namespace, name) });
      }
      const c = await client();
      const failures: string[] = [];
      for (const t of targets) {
        try {
          await c.request('DELETE', t.path);
          process.stdout.write(`${t.label} deleted\n`);
        } catch (err) {
          if (err instanceof DaemonRequestError && err.code === 404) {
            if (!opts.ignoreNotFound) failures.push(`${t.label} not found`);
            continue;
          }
          failures.push(`${t.label}: ${(err as Error).message}`);
        }
      }
      if (failures.length > 0) throw new CliError(failures.join('\n'));
    });
}
