import type { Command } from 'commander';
import { findDaemon, isProcessAlive } from '../../core/daemon-client/index.js';
import { CliError } from '../cli-error.js';
import { stateDir } from '../context.js';
import { apiPath } from '../../core/api/index.js';

export function registerDaemon(program: Command): void {
  const daemon = program.command('daemon').description('manage the background daemon');
  daemon
    .command('stop')
    .description('stop the cluster and the daemon')
    .action(async () => {
      const client = await findDaemon(stateDir());
      if (!client?.info) {
        process.stderr.write('The daemon is not running.\n');
        return;
      }
      const pid = client.info.pid;
      await client.request('POST', apiPath('shutdown'));
      const deadline = Date.now() + 30_000;
      while (isProcessAlive(pid)) {
        if (Date.now() > deadline) throw new CliError(`the daemon (pid ${pid}) did not exit within 30s — see its log`);
        await new Promise((r) => setTimeout(r, 50));
      }
      process.stderr.write(`Daemon stopped (pid ${pid}).\n`);
    });
}
