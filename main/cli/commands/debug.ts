import { relative } from 'node:path';
import type { Command } from 'commander';
import { apiPath, vscodeAttachConfig, type DebugInfo } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { nsName } from '../function-ref.js';
import { client } from '../context.js';

function printSession(info: DebugInfo): void {
  const s = info.session;
  const file = relative(process.cwd(), s.handlerFile) || s.handlerFile;
  const out = [
    `Debugging ${s.namespace}/${s.name} (revision ${s.revision}, 1 replica) — Node inspector on 127.0.0.1:${s.port}`,
    `  Breakpoints: set them in ${s.fromDevFolder ? file : `${s.handlerFile} (an inline function's source, at a stable path)`}`,
    s.break ? '  --break: every invocation stops before the handler runs (step in to enter it)' : '',
    '  While paused, FUNC_TIMEOUT does not count; saves keep the inspector port (debuggers re-attach).',
    info.devtoolsUrl ? `  Chrome DevTools: ${info.devtoolsUrl}` : '  Chrome DevTools: open chrome://inspect and add 127.0.0.1:' + String(s.port),
    info.webSocketDebuggerUrl ? `  CDP WebSocket: ${info.webSocketDebuggerUrl}` : '',
    '  VS Code (.vscode/launch.json, "configurations"):',
    JSON.stringify(vscodeAttachConfig(info), null, 2).replace(/^/gm, '    '),
    `Stop with: kyma-local debug ${s.namespace === 'default' ? s.name : `${s.namespace}/${s.name}`} --stop`,
  ];
  process.stdout.write(out.filter(Boolean).join('\n') + '\n');
}

export function registerDebug(program: Command): void {
  program
    .command('debug')
    .description('serve a function from one replica with the Node inspector, for breakpoints in your own handler.js')
    .argument('<fn>', 'function name (or namespace/name)')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--port <port>', 'inspector port on 127.0.0.1', '9229')
    .option('--break', 'stop every invocation before the handler runs')
    .option('--stop', 'end debugging: back to the normal replicas')
    .option('-o, --output <format>', 'json')
    .action(async (fn: string, opts: { namespace: string; port: string; break?: boolean; stop?: boolean; output?: string }) => {
      const [ns, name] = nsName(fn, opts.namespace);
      const path = apiPath('functionDebug', { namespace: ns, name });
      const c = await client();
      if (opts.stop) {
        await c.request('DELETE', path);
        process.stdout.write(`Stopped debugging ${ns}/${name}: its replicas are back to normal\n`);
        return;
      }
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new CliError(`--port ${opts.port}: expected a port number from 1024 to 65535`);
      process.stderr.write(`Starting ${ns}/${name} with the inspector on 127.0.0.1:${port}…\n`);
      const info = await c.request<DebugInfo>('POST', path, { body: { port, break: Boolean(opts.break) } });
      if (opts.output === 'json') process.stdout.write(JSON.stringify(info, null, 2) + '\n');
      else printSession(info);
    });
}
