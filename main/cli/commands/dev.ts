import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DaemonClient } from '../../core/daemon-client/index.js';
import { apiPath, type DevEvent, type DevFolderState, type FunctionWithRevisions, type RevisionRecord } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';
import { formatWorkspaceError } from './workspace-cmds.js';

function time(): string {
  return new Date().toISOString().slice(11, 23);
}

function printEvent(ev: DevEvent): void {
  switch (ev.type) {
    case 'applied':
      process.stdout.write(`${time()} ${ev.function.namespace}/${ev.function.name}: ${ev.outcome} from ${ev.dir}\n`);
      break;
    case 'folder-error':
      process.stdout.write(`${time()} ${ev.dir}: not deployed (last good revision keeps serving):\n${ev.errors.map((e) => `  ${formatWorkspaceError(e)}`).join('\n')}\n`);
      break;
    case 'apply-error':
      process.stdout.write(`${time()} ${ev.dir}: rejected: ${ev.message}\n`);
      break;
    case 'removed':
      process.stdout.write(`${time()} ${ev.dir}: folder removed (its function keeps running; delete it with kyma-local delete fn NAME)\n`);
      break;
  }
}

type Details = FunctionWithRevisions;

async function details(c: DaemonClient, ns: string, name: string): Promise<Details | undefined> {
  try {
    return await c.request<Details | undefined>('GET', apiPath('function', { namespace: ns, name }), { allow404: true });
  } catch {
    return undefined;
  }
}

function revisionLine(fn: string, r: RevisionRecord, serving: number | undefined): string {
  if (r.outcome === 'failed') {
    const e = r.error;
    const where = e?.file ? `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}: ` : '';
    const keeps = serving !== undefined && serving !== r.number ? ` — revision ${serving} keeps serving` : '';
    return `${time()} ${fn}: revision ${r.number} failed: ${where}${(e?.message ?? 'unknown error').split('\n')[0]}${keeps}`;
  }
  return `${time()} ${fn}: revision ${r.number} ready${r.latencyMs !== undefined ? ` in ${Math.round(r.latencyMs)} ms` : ''}`;
}

/**
 * After a save was applied, waits for the controller's verdict on the new revision (ready with its latency, or
 * failed with file:line) so the terminal shows the outcome, not just that the folder was read.
 */
function followRevisions(c: DaemonClient): (fn: { namespace: string; name: string }) => void {
  const seen = new Map<string, number>();
  return (fn) => {
    const key = `${fn.namespace}/${fn.name}`;
    const deadline = Date.now() + 60_000;
    const poll = async (): Promise<void> => {
      const d = await details(c, fn.namespace, fn.name);
      const last = seen.get(key) ?? 0;
      const fresh = (d?.revisions ?? []).filter((r) => r.number > last && r.outcome !== 'pending');
      for (const r of fresh) process.stdout.write(revisionLine(key, r, d?.currentRevision) + '\n');
      if (fresh.length > 0) seen.set(key, Math.max(...fresh.map((r) => r.number)));
      else if (Date.now() < deadline) setTimeout(() => void poll(), 100);
    };
    void (async () => {
      if (!seen.has(key)) {
        // Revisions that existed before this session are history, not news.
        const d = await details(c, fn.namespace, fn.name);
        const before = (d?.revisions ?? []).filter((r) => r.outcome !== 'pending').map((r) => r.number);
        seen.set(key, before.length ? Math.max(...before) : 0);
      }
      await poll();
    })();
  };
}

async function addFolders(c: DaemonClient, dirs: string[]): Promise<DevFolderState[]> {
  const { items } = await c.request<{ items: DevFolderState[] }>('POST', apiPath('dev'), { body: { dirs } });
  return items;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('deploy function folders and redeploy them on every save (Ctrl-C stops watching)')
    .argument('<dir...>', 'function folders, or folders containing them')
    .option('--detach', 'leave the daemon watching after this command exits', false)
    .option('--stop', 'stop watching these folders (their functions keep running)', false)
    .action(async (dirArgs: string[], opts: { detach: boolean; stop: boolean }) => {
      const dirs = dirArgs.map((d) => resolve(d));
      const c = await client();
      if (opts.stop) {
        await c.request('POST', apiPath('devRemove'), { body: { dirs } });
        process.stderr.write(`Stopped watching ${dirs.join(', ')}.\n`);
        return;
      }
      let items: DevFolderState[];
      try {
        items = await addFolders(c, dirs);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      for (const it of items) {
        if (it.errors.length > 0) process.stdout.write(`${it.dir}: not deployed:\n${it.errors.map((e) => `  ${formatWorkspaceError(e)}`).join('\n')}\n`);
        else if (it.function) process.stdout.write(`${it.dir} → function ${it.function.namespace}/${it.function.name}\n`);
      }
      if (opts.detach) {
        process.stderr.write('The daemon keeps watching these folders; stop with `kyma-local dev --stop DIR` or `kyma-local daemon stop`.\n');
        return;
      }
      process.stderr.write('Watching for changes — Ctrl-C to stop.\n');
      const abort = new AbortController();
      const stop = (): void => {
        void c.request('POST', apiPath('devRemove'), { body: { dirs } }).finally(() => {
          abort.abort();
          process.exit(0);
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      const follow = followRevisions(c);
      for (const it of items) if (it.function) follow(it.function);
      try {
        await c.stream(
          'GET',
          apiPath('devStream'),
          undefined,
          (item) => {
            const ev = item as DevEvent;
            printEvent(ev);
            if (ev.type === 'applied' && ev.outcome !== 'unchanged') follow(ev.function);
          },
          abort.signal,
        );
      } catch (err) {
        if (!abort.signal.aborted) throw err;
      }
    });
}
