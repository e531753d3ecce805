import type { Command } from 'commander';
import { findDaemon } from '../../core/daemon-client/index.js';
import { apiPath, type ProgressEvent } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { stateDir } from '../context.js';
import { progressPrinter } from './up.js';

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('stop the local cluster (the daemon keeps running; resources are kept)')
    .action(async () => {
      const client = await findDaemon(stateDir());
      if (!client) {
        process.stderr.write('The daemon is not running, so no cluster is up.\n');
        return;
      }
      const onProgress = progressPrinter();
      let error: string | undefined;
      await client.stream('POST', apiPath('down'), {}, (item) => {
        const it = item as { type: string; ok?: boolean; error?: string } & ProgressEvent;
        if (it.type === 'progress') onProgress(it);
        else if (it.type === 'result' && !it.ok) error = it.error;
      });
      if (error) throw new CliError(`down failed: ${error}`);
      process.stderr.write('Cluster stopped.\n');
    });
}
