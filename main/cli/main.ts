import { Command, CommanderError } from 'commander';
import { DaemonNotRunningError, DaemonRequestError, packageVersion } from '../core/daemon/index.js';
import { CliError } from './cli-error.js';
import { registerUp } from './commands/up.js';
import { registerDown } from './commands/down.js';
import { registerStatus } from './commands/status.js';
import { registerApply } from './commands/apply.js';
import { registerGet } from './commands/get.js';
import { registerDelete } from './commands/delete.js';
import { registerKubeconfig } from './commands/kubeconfig.js';
import { registerDaemon } from './commands/daemon-cmd.js';
import { registerEvents } from './commands/events.js';
import { registerWorkspace } from './commands/workspace-cmds.js';
import { registerDev } from './commands/dev.js';
import { registerFunctions } from './commands/functions.js';
import { registerTelemetry } from './commands/telemetry.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerMap } from './commands/map.js';

function buildProgram(): Command {
  const program = new Command('kyma-local')
    .description('Kyma Local — a local Kyma cluster for developing functions and event flows')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerUp(program);
  registerDown(program);
  registerStatus(program);
  registerApply(program);
  registerGet(program);
  registerDelete(program);
  registerKubeconfig(program);
  registerDaemon(program);
  registerEvents(program);
  registerWorkspace(program);
  registerDev(program);
  registerFunctions(program);
  registerTelemetry(program);
  registerDashboard(program);
  registerMap(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    if (err instanceof DaemonNotRunningError) {
      process.stderr.write(`Error: ${err.message}\n`);
      process.exit(3);
    }
    if (err instanceof CliError || err instanceof DaemonRequestError) {
      process.stderr.write(`Error: ${err.message}\n`);
      process.exit(err instanceof CliError ? err.exitCode : 1);
    }
    process.stderr.write(`Error: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
}

await main();
