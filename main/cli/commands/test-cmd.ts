import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** The test kit's loader hook, found by path: the CLI never loads the function runtime itself. */
const REGISTER_HOOK = new URL('../../testing/register.js', import.meta.url);

export function registerTest(program: Command): void {
  program
    .command('test')
    .description("run a function folder's tests (*.test.js/mjs/cjs) with Node's test runner; they can import 'kyma-local/testing'")
    .argument('[dir]', 'function folder', '.')
    .argument('[node-test-args...]', 'passed to node --test (after --), e.g. -- --test-name-pattern=greets')
    .action(async (dir: string, extra: string[]) => {
      const cwd = resolve(dir);
      if (!existsSync(cwd)) throw new CliError(`${dir}: no such folder — pass a function folder (the one with config.yaml and handler.js)`);
      if (!existsSync(fileURLToPath(REGISTER_HOOK))) throw new CliError(`the test kit is not built (${fileURLToPath(REGISTER_HOOK)} is missing) — run \`npm run build\``);
      const code = await new Promise<number>((done, fail) => {
        const child = spawn(process.execPath, ['--import', REGISTER_HOOK.href, '--test', ...extra], { cwd, stdio: 'inherit' });
        child.once('error', fail);
        child.once('exit', (c, signal) => done(c ?? (signal ? 1 : 0)));
      });
      if (code !== 0) process.exitCode = code;
    });
}
