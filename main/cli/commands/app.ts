import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { apiPath, type ApplicationsResponse, type GatewayCallResponse, type ServiceSpecResponse } from '../../core/api/index.js';
import { generateClient } from '../app-client-gen.js';
import { CliError } from '../cli-error.js';
import { client } from '../context.js';
import { APPLICATION, SECRET, type KubeObject } from '../../core/model/index.js';
import { listObjects, objectPath } from '../resource-client.js';
import { exportManifests } from '../../core/workspace/index.js';
import { writeFileSync } from 'node:fs';
import { table, toYaml } from '../output.js';

async function fetchSpec(app: string, service: string, refresh: boolean): Promise<ServiceSpecResponse> {
  const c = await client();
  return c.request<ServiceSpecResponse>('GET', apiPath('applicationSpec', { app, service }, { refresh: refresh ? 'true' : undefined }));
}

/** `kyma-local app …`: the API and event catalog of registered Applications, and calls through the gateway. */
export function registerApp(program: Command): void {
  const app = program.command('app').description('application connectivity: gateway URLs, API/event specifications, typed clients');

  app
    .command('list')
    .description('registered Applications, their services and gateway URLs')
    .option('-o, --output <format>', 'json')
    .action(async (opts: { output?: string }) => {
      const r = await (await client()).request<ApplicationsResponse>('GET', apiPath('applications'));
      if (opts.output === 'json') return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      const rows = r.applications.flatMap((a) =>
        a.services.flatMap((s) =>
          s.entries.map((e) => [a.name, a.state, s.gatewayPath || s.name, e.type, e.credentials ? `${e.credentials.type} (${e.credentials.secretName}: ${e.credentials.secret})` : '', e.clusterUrl ?? `events: ${a.inbound.url}`]),
        ),
      );
      if (rows.length === 0) return void process.stderr.write('No applications registered — apply an Application (applicationconnector.kyma-project.io/v1alpha1)\n');
      process.stdout.write(table(['APPLICATION', 'STATE', 'SERVICE', 'TYPE', 'CREDENTIALS', 'URL'], rows) + '\n');
    });

  app
    .command('inbound')
    .description("where an external system sends its events: the Application's inbound URL and token")
    .argument('<application>')
    .option('-o, --output <format>', 'env (KYMA_APP_EVENTS_URL=… KYMA_APP_TOKEN=…, for eval)')
    .action(async (a: string, opts: { output?: string }) => {
      const c = await client();
      const obj = await c.request<KubeObject | undefined>('GET', objectPath(APPLICATION, undefined, a), { allow404: true });
      if (!obj) throw new CliError(`Application ${a} is not registered — apply it first (kyma-local get applications lists them)`);
      const inbound = (obj.status as { inbound?: { url: string; tokenSecret: string } } | undefined)?.inbound;
      if (!inbound) throw new CliError(`Application ${a} has no inbound URL yet — is application-connector in the cluster profile and the cluster up?`);
      const [ns, name] = inbound.tokenSecret.split('/') as [string, string];
      const secret = await c.request<KubeObject | undefined>('GET', objectPath(SECRET, ns, name), { allow404: true });
      const raw = secret?.data?.token;
      if (!raw) throw new CliError(`the token Secret ${inbound.tokenSecret} is missing; it is recreated when the cluster is up`);
      const token = Buffer.from(raw, 'base64').toString('utf8');
      if (opts.output === 'env') return void process.stdout.write(`KYMA_APP_EVENTS_URL=${inbound.url}\nKYMA_APP_TOKEN=${token}\n`);
      process.stdout.write(`URL:    ${inbound.url}  (also /${a}/events and /${a}/v2/events for CloudEvents)\nToken:  ${token}  (header: Authorization: Bearer <token>; Secret ${inbound.tokenSecret})\n`);
    });

  app
    .command('export')
    .description('write Applications and the Secrets they name as manifests for a real cluster (Secret values as placeholders unless --with-secrets)')
    .argument('[application...]', 'only these (default: all)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--with-secrets', 'include the Secrets\' real values (base64 data, as kubectl get -o yaml shows them)', false)
    .action(async (names: string[], opts: { output?: string; withSecrets: boolean }) => {
      const c = await client();
      const apps = (await listObjects(c, APPLICATION, undefined)).filter((a) => names.length === 0 || names.includes(a.metadata.name));
      const missing = names.filter((n) => !apps.some((a) => a.metadata.name === n));
      if (missing.length) throw new CliError(`no Application named ${missing.join(', ')}`);
      const secretNames = new Set<string>();
      for (const a of apps) {
        const services = ((a.spec as { services?: Array<{ entries?: Array<{ credentials?: { secretName?: string }; requestParametersSecretName?: string }> }> } | undefined)?.services ?? []);
        for (const e of services.flatMap((s) => s.entries ?? [])) {
          if (e.credentials?.secretName) secretNames.add(e.credentials.secretName);
          if (e.requestParametersSecretName) secretNames.add(e.requestParametersSecretName);
        }
      }
      const secrets: KubeObject[] = [];
      for (const name of secretNames) {
        const s = await c.request<KubeObject | undefined>('GET', objectPath(SECRET, 'kyma-system', name), { allow404: true });
        if (!s) {
          process.stderr.write(`warning: Secret kyma-system/${name} does not exist here; create it on the cluster too\n`);
          continue;
        }
        if (opts.withSecrets) secrets.push(s);
        else {
          const { data: _data, ...rest } = s;
          secrets.push({ ...rest, stringData: Object.fromEntries(Object.keys(s.data ?? {}).map((k) => [k, `<${k} of ${name}>`])) });
        }
      }
      const yaml = exportManifests([...secrets, ...apps]);
      if (opts.output) {
        writeFileSync(opts.output, yaml, { mode: 0o600 });
        process.stderr.write(`Wrote ${apps.length} Application(s) and ${secrets.length} Secret(s) to ${opts.output}${opts.withSecrets ? '' : ' (Secret values are placeholders: fill them in)'} — apply with: kubectl apply -f ${opts.output}\n`);
      } else process.stdout.write(yaml);
    });

  app
    .command('spec')
    .description("print a service's API (OpenAPI) or event (AsyncAPI) specification; cached for offline use")
    .argument('<application>')
    .argument('<service>', 'gateway path, name, display name or id of the service')
    .option('--refresh', 'fetch it again from the specificationUrl', false)
    .option('-o, --output <format>', 'yaml (default) | json')
    .action(async (a: string, s: string, opts: { refresh: boolean; output?: string }) => {
      const r = await fetchSpec(a, s, opts.refresh);
      if (r.fromCache && opts.refresh) process.stderr.write(`warning: ${r.specificationUrl} could not be fetched; showing the copy cached at ${r.fetchedAt}\n`);
      process.stdout.write(opts.output === 'json' ? JSON.stringify(r.spec, null, 2) + '\n' : toYaml(r.spec));
    });

  app
    .command('client')
    .description('generate a typed TypeScript client (openapi-typescript + a fetch wrapper) that calls the service through the gateway')
    .argument('<application>')
    .argument('<service>')
    .requiredOption('-o, --output <dir>', 'directory to write schema.d.ts, client.js and client.d.ts into')
    .action(async (a: string, s: string, opts: { output: string }) => {
      const spec = await fetchSpec(a, s, false);
      const apps = await (await client()).request<ApplicationsResponse>('GET', apiPath('applications'));
      const svc = apps.applications.find((x) => x.name === a)?.services.find((x) => x.gatewayPath === spec.service);
      const base = svc?.entries.find((e) => e.clusterUrl)?.clusterUrl;
      if (!base) throw new CliError(`service ${s} of ${a} has no API entry to call through the gateway`);
      let out;
      try {
        out = await generateClient(spec.spec, base);
      } catch (err) {
        throw new CliError(`cannot generate a client for ${a}/${s}: ${(err as Error).message}`);
      }
      const dir = resolve(opts.output);
      await mkdir(dir, { recursive: true });
      for (const [name, text] of Object.entries(out.files)) await writeFile(join(dir, name), text);
      const rel = relative(process.cwd(), dir) || '.';
      process.stdout.write(`wrote ${Object.keys(out.files).map((f) => join(rel, f)).join(', ')}\n`);
      process.stderr.write(`Use it in a function: const api = require('./${relative(process.cwd(), join(dir, 'client.js')).replace(/\.js$/, '')}'); const { data } = await api.GET('/path', {...});\n`);
    });

  app
    .command('call')
    .description('call a service through the application gateway, as function code would')
    .argument('<application>')
    .argument('<service>')
    .argument('[path]', 'path after the service, with an optional ?query', '/')
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('-d, --data <body>', 'request body')
    .option('-H, --header <k=v...>', 'request header (repeatable)')
    .action(async (a: string, s: string, path: string, opts: { method: string; data?: string; header?: string[] }) => {
      const headers: Record<string, string> = {};
      for (const h of opts.header ?? []) {
        const i = h.search(/[=:]/);
        if (i <= 0) throw new CliError(`header "${h}" must look like name=value`);
        headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
      }
      const r = await (await client()).request<GatewayCallResponse>('POST', apiPath('applicationCall', { app: a }), {
        body: { service: s, method: opts.method, path, headers, ...(opts.data !== undefined ? { body: opts.data } : {}) },
      });
      process.stderr.write(`${r.status} in ${r.latencyMs} ms${r.headers['target-system-status'] ? ` (target answered ${r.headers['target-system-status']})` : ''}\n`);
      process.stdout.write(r.body.endsWith('\n') || !r.body ? r.body : `${r.body}\n`);
      if (r.status >= 400) process.exitCode = 1;
    });
}
