import type { Command } from 'commander';
import { APIRULE, resolveTypeName, type KubeObject, type ResourceType } from '../../core/model/index.js';
import { apiRuleLines } from '../apirule-lines.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';
import type { DaemonClient } from '../../core/daemon-client/index.js';
import type { FunctionDetails } from '../../core/api/index.js';
import { listFunctions } from './status.js';
import { age, table, toYaml } from '../output.js';
import { listObjects, objectPath } from '../resource-client.js';

export function resolveKind(word: string): ResourceType {
  const type = resolveTypeName(word);
  if (!type) throw new CliError(`the server doesn't have a resource type "${word}" — try functions, subscriptions, apirules, applications, serviceinstances, servicebindings, servicebrokers, secrets or configmaps`);
  return type;
}

function cleanForOutput(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Secret' || !obj.data) return obj;
  // Secret values stay base64 in -o yaml/json, like kubectl; they are never printed decoded.
  return obj;
}

function renderTable(type: ResourceType, items: KubeObject[], wide: boolean, allNamespaces: boolean): string {
  const cols = type.printerColumns.filter((c) => wide || !c.wide);
  const headers = [...(allNamespaces && type.namespaced ? ['NAMESPACE'] : []), 'NAME', ...cols.map((c) => c.name.toUpperCase())];
  const rows = items.map((o) => [
    ...(allNamespaces && type.namespaced ? [o.metadata.namespace] : []),
    o.metadata.name,
    ...cols.map((c) => {
      const v = c.value(o);
      return c.type === 'date' && typeof v === 'string' ? age(v) : v;
    }),
  ]);
  return table(headers, rows);
}

/** `get functions -o wide`: the printer columns plus each function's URLs, and a curl line that works. */
async function functionsWide(c: DaemonClient, type: ResourceType, items: KubeObject[], allNamespaces: boolean): Promise<string> {
  const running = new Map((await listFunctions(c)).map((f) => [`${f.namespace}/${f.name}`, f]));
  const access = (o: KubeObject): FunctionDetails['access'] => running.get(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`)?.access;
  const base = renderTable(type, items, true, allNamespaces).split('\n');
  const extra = table(['IN-CLUSTER URL', 'FROM THIS MACHINE'], items.map((o) => [access(o)?.inCluster, access(o) ? `${access(o)!.hostUrl}${access(o)!.hostHeader ? ` (Host: ${access(o)!.hostHeader})` : ''}` : ''])).split('\n');
  const width = Math.max(...base.map((l) => l.length));
  const lines = base.map((l, i) => `${l.padEnd(width + 3)}${extra[i] ?? ''}`.trimEnd());
  const curls = items.map((o) => access(o)?.curl).filter((x): x is string => !!x);
  return [...lines, ...(curls.length ? ['', ...curls.map((x) => `# ${x}`)] : [])].join('\n') + '\n';
}

export function registerGet(program: Command): void {
  program
    .command('get')
    .description('list resources of a kind, or show one')
    .argument('<kind>', 'functions|fn, subscriptions, apirules, applications, serviceinstances|si, servicebindings|sb, servicebrokers, secrets, configmaps')
    .argument('[name]', 'show just this one')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'list across all namespaces', false)
    .option('-l, --selector <selector>', 'label selector, e.g. app=hello')
    .option('-o, --output <format>', 'yaml | json | wide')
    .action(async (kind: string, name: string | undefined, opts: { namespace: string; allNamespaces: boolean; selector?: string; output?: string }) => {
      const type = resolveKind(kind);
      if (opts.output && !['yaml', 'json', 'wide'].includes(opts.output)) throw new CliError(`unknown output format "${opts.output}" — use yaml, json or wide`);
      const c = await client();
      let items: KubeObject[];
      if (name) {
        const obj = await c.request<KubeObject | undefined>('GET', objectPath(type, opts.namespace, name), { allow404: true });
        if (!obj) throw new CliError(`${type.plural} "${name}" not found${type.namespaced ? ` in namespace ${opts.namespace}` : ''}`);
        items = [obj];
      } else {
        items = await listObjects(c, type, opts.allNamespaces ? undefined : opts.namespace, opts.selector);
      }
      items = items.map(cleanForOutput);
      if (opts.output === 'json') {
        process.stdout.write(JSON.stringify(name ? items[0] : { apiVersion: 'v1', kind: 'List', items }, null, 2) + '\n');
      } else if (opts.output === 'yaml') {
        process.stdout.write(toYaml(name ? items[0] : { apiVersion: 'v1', kind: 'List', items }));
      } else if (items.length === 0) {
        process.stderr.write(`No ${type.plural} found${type.namespaced && !opts.allNamespaces ? ` in ${opts.namespace} namespace` : ''}.\n`);
      } else if (opts.output === 'wide' && type.kind === 'Function') {
        process.stdout.write(await functionsWide(c, type, items, opts.allNamespaces));
      } else {
        process.stdout.write(renderTable(type, items, opts.output === 'wide', opts.allNamespaces) + '\n');
        if (type === APIRULE) {
          const lines = await apiRuleLines(c, opts.allNamespaces ? undefined : opts.namespace);
          if (lines) process.stdout.write(`\n${lines}\n`);
        }
      }
    });
}
