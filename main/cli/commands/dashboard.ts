import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { ensureDaemon } from '../../core/daemon-client/index.js';
import { CliError } from '../cli-error.js';
import { stateDir } from '../context.js';
import { apiPath } from '../../core/api/index.js';

interface LoginCode {
  code: string;
  path: string;
  expiresAt: string;
}

function opener(url: string): { cmd: string; args: string[] } | undefined {
  if (process.platform === 'darwin') return { cmd: 'open', args: [url] };
  // cmd would split an unquoted URL at '&'; the arguments go verbatim, so the URL is quoted here.
  if (process.platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', `"${url.replace(/"/g, '%22')}"`] };
  // Without a display there is no browser to hand the URL to (ssh sessions, containers).
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return undefined;
  return { cmd: 'xdg-open', args: [url] };
}

/** Resolves true when the opener started and exited cleanly; false when there is none or it failed. */
function openBrowser(url: string): Promise<boolean> {
  const o = opener(url);
  if (!o) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(o.cmd, o.args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
    child.unref();
  });
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('open the dashboard in your browser (starts the daemon if needed)')
    .option('--no-open', 'print a one-time sign-in URL instead of opening a browser')
    .action(async (opts: { open: boolean }) => {
      const { client } = await ensureDaemon(stateDir());
      let login: LoginCode;
      try {
        login = await client.request<LoginCode>('POST', apiPath('uiLoginCode'));
      } catch (err) {
        throw new CliError(`The daemon did not hand out a dashboard sign-in code (${(err as Error).message}) — is it an older version? Restart it with \`kyma-local daemon stop && kyma-local up\``);
      }
      const signIn = `${client.url}${login.path}`;
      if (opts.open && (await openBrowser(signIn))) {
        process.stdout.write(`Opened the dashboard in your browser: ${client.url}/ui/\n`);
        return;
      }
      const why = opts.open ? 'No browser could be opened. ' : '';
      process.stdout.write(`${why}Open this one-time sign-in link within 60 seconds (it works once):\n\n  ${signIn}\n\n`);
    });
}
