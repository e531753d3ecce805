import type { Command } from 'commander';
import { apiPath, INVOKE_DURATION_HEADER, INVOKE_FORWARD_PREFIX, type FunctionWithRevisions, type RevisionRecord } from '../../core/api/index.js';
import { CliError } from '../cli-error.js';
import { nsName } from '../function-ref.js';
import { client } from '../context.js';
import { parseDataArg } from '../json-arg.js';
import { table } from '../output.js';

function errorText(r: RevisionRecord): string {
  if (!r.error) return '';
  const where = r.error.file ? `${r.error.file}${r.error.line ? `:${r.error.line}${r.error.column ? `:${r.error.column}` : ''}` : ''}: ` : '';
  return where + r.error.message.split('\n')[0];
}

export function registerFunctions(program: Command): void {
  program
    .command('revisions')
    .description('list a function\'s revisions with their save→ready latency and outcome')
    .argument('<fn>', 'function name (or namespace/name)')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-o, --output <format>', 'json')
    .action(async (fn: string, opts: { namespace: string; output?: string }) => {
      const [ns, name] = nsName(fn, opts.namespace);
      const c = await client();
      const d = await c.request<FunctionWithRevisions>('GET', apiPath('function', { namespace: ns, name }));
      if (opts.output === 'json') {
        process.stdout.write(JSON.stringify(d.revisions, null, 2) + '\n');
        return;
      }
      const rows = d.revisions.map((r) => [
        (r.number === d.currentRevision ? '* ' : '  ') + String(r.number),
        r.outcome + (r.rollbackOf ? ` (rollback of ${r.rollbackOf})` : ''),
        r.latencyMs !== undefined ? `${Math.round(r.latencyMs)} ms` : '',
        r.createdAt.replace('T', ' ').slice(0, 19),
        errorText(r),
      ]);
      process.stdout.write(table(['REVISION', 'OUTCOME', 'SAVE→READY', 'CREATED', 'ERROR'], rows) + '\n');
    });

  program
    .command('rollback')
    .description('serve the code of an earlier good revision again (as a new revision)')
    .argument('<fn>', 'function name (or namespace/name)')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--to <revision>', 'revision number (default: the previous good one)')
    .action(async (fn: string, opts: { namespace: string; to?: string }) => {
      const [ns, name] = nsName(fn, opts.namespace);
      const to = opts.to !== undefined ? Number(opts.to) : undefined;
      if (to !== undefined && !Number.isInteger(to)) throw new CliError(`--to ${opts.to}: expected a revision number (see kyma-local revisions ${fn})`);
      const c = await client();
      const r = await c.request<RevisionRecord>('POST', apiPath('functionRollback', { namespace: ns, name }), { body: to !== undefined ? { to } : {} });
      process.stdout.write(`${ns}/${name}: revision ${r.number} (${r.outcome}) re-deploys revision ${r.rollbackOf ?? '?'}\n`);
    });

  program
    .command('invoke')
    .description('call a function the way another function in the cluster would')
    .argument('<fn>', 'function name (or namespace/name)')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-d, --data <json|@file>', 'request body (POST)')
    .option('-X, --method <method>', 'HTTP method (default GET, or POST with --data)')
    .option('-H, --header <k=v...>', 'request header (repeatable)')
    .option('--path <path>', 'request path', '/')
    .option('--cloudevent <type>', 'send a binary-mode CloudEvent of this type')
    .option('--source <source>', 'CloudEvent source (with --cloudevent)', 'kyma-local')
    .option('-i, --include', 'print the status line and response headers', false)
    .action(async (fn: string, opts: { namespace: string; data?: string; method?: string; header?: string[]; path: string; cloudevent?: string; source: string; include: boolean }) => {
      const [ns, name] = nsName(fn, opts.namespace);
      const headers: Record<string, string> = {};
      for (const h of opts.header ?? []) {
        const i = h.search(/[=:]/);
        if (i <= 0) throw new CliError(`--header ${h}: expected key=value`);
        headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
      }
      const data = parseDataArg(opts.data);
      let body: string | undefined;
      if (data !== undefined) {
        body = typeof data === 'string' ? data : JSON.stringify(data);
        headers['content-type'] ??= typeof data === 'string' ? 'text/plain' : 'application/json';
      }
      if (opts.cloudevent) {
        Object.assign(headers, { 'ce-specversion': '1.0', 'ce-type': opts.cloudevent, 'ce-source': opts.source, 'ce-id': crypto.randomUUID(), 'ce-time': new Date().toISOString() });
        headers['content-type'] ??= 'application/json';
      }
      const method = (opts.method ?? (body !== undefined || opts.cloudevent ? 'POST' : 'GET')).toUpperCase();
      const c = await client();
      const path = opts.path.startsWith('/') ? opts.path : `/${opts.path}`;
      // Every header goes to the function as given: under the forward prefix the daemon's own checks leave it alone.
      const forwarded = Object.fromEntries(Object.entries(headers).map(([k, v]) => [`${INVOKE_FORWARD_PREFIX}${k.toLowerCase()}`, v]));
      const started = performance.now();
      const res = await c.raw(method, apiPath('functionInvoke', { namespace: ns, name }, undefined, path), forwarded, body);
      if (opts.include) {
        process.stdout.write(`HTTP ${res.status} ${res.statusText}\n`);
        for (const [k, v] of res.headers) process.stdout.write(`${k}: ${v}\n`);
        process.stdout.write('\n');
      }
      const text = await res.text();
      process.stdout.write(text.endsWith('\n') || text === '' ? text : text + '\n');
      // The daemon's figure is the function's answer time; an answer from the daemon itself has none, so the round trip.
      const measured = res.headers.get(INVOKE_DURATION_HEADER);
      process.stderr.write(`${res.status} in ${measured ?? (performance.now() - started).toFixed(1)} ms${measured ? '' : ' (round trip, the daemon answered)'}\n`);
      if (res.status >= 400) process.exitCode = 1;
    });
}
