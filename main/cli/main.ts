import type { Command } from 'commander';
import { DaemonNotRunningError, DaemonRequestError, packageVersion } from '../core/daemon-client/index.js';
import { CliError } from './cli-error.js';

type Register = (program: Command) => void;

/**
 * Every command, in the order `--help` lists them, with the module that registers it. Only the module of the
 * command being run is loaded (a kubectl user expects `get` to answer at once); `--help`, no command or an
 * unknown one load them all. A module that registers several commands is listed under each of them.
 */
const COMMANDS: Array<[names: string[], load: () => Promise<Register>]> = [
  [['up'], async () => (await import('./commands/up.js')).registerUp],
  [['down'], async () => (await import('./commands/down.js')).registerDown],
  [['status'], async () => (await import('./commands/status.js')).registerStatus],
  [['apply'], async () => (await import('./commands/apply.js')).registerApply],
  [['get'], async () => (await import('./commands/get.js')).registerGet],
  [['delete'], async () => (await import('./commands/delete.js')).registerDelete],
  [['kubeconfig'], async () => (await import('./commands/kubeconfig.js')).registerKubeconfig],
  [['daemon'], async () => (await import('./commands/daemon-cmd.js')).registerDaemon],
  [['events', 'event', 'publish', 'replay'], async () => (await import('./commands/events.js')).registerEvents],
  [['init', 'export'], async () => (await import('./commands/workspace-cmds.js')).registerWorkspace],
  [['dev'], async () => (await import('./commands/dev.js')).registerDev],
  [['revisions', 'rollback', 'invoke'], async () => (await import('./commands/functions.js')).registerFunctions],
  [['logs', 'traces', 'trace', 'telemetry'], async () => (await import('./commands/telemetry.js')).registerTelemetry],
  [['dashboard'], async () => (await import('./commands/dashboard.js')).registerDashboard],
  [['test'], async () => (await import('./commands/test-cmd.js')).registerTest],
  [['debug'], async () => (await import('./commands/debug.js')).registerDebug],
  [['map'], async () => (await import('./commands/map.js')).registerMap],
  [['token'], async () => (await import('./commands/token.js')).registerToken],
  [['app'], async () => (await import('./commands/app.js')).registerApp],
  [['marketplace'], async () => (await import('./commands/marketplace.js')).registerMarketplace],
  [['doctor', 'setup'], async () => (await import('./commands/doctor.js')).registerDoctor],
  [['images'], async () => (await import('./commands/images.js')).registerImages],
  [['snapshot'], async () => (await import('./commands/snapshot.js')).registerSnapshot],
];

/** The command word of argv (the first argument that is not an option), if any. */
function commandWord(argv: string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

async function buildProgram(argv: string[]): Promise<Command> {
  const { Command } = await import('commander');
  const program = new Command('kyma-local')
    .description('Kyma Local — a local Kyma cluster for developing functions and event flows')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const word = commandWord(argv);
  const wanted = COMMANDS.filter(([names]) => word !== undefined && names.includes(word));
  const registers = await Promise.all((wanted.length > 0 ? wanted : COMMANDS).map(([, load]) => load()));
  for (const register of new Set(registers)) register(program);
  return program;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `--version` needs nothing but package.json.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  try {
    await (await buildProgram(process.argv)).parseAsync(process.argv);
  } catch (err) {
    const { CommanderError } = await import('commander');
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
