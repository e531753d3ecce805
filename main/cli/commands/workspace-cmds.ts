import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { discoverFunctionFolders, exportManifests, listExamples, readFunctionFolder, scaffoldFunction, writeExample, type WorkspaceError } from '../../core/workspace/index.js';
import type { KubeObject } from '../../core/model/index.js';
import { CliError } from '../cli-error.js';

export function formatWorkspaceError(e: WorkspaceError): string {
  const file = relative(process.cwd(), e.file) || e.file;
  const where = e.line ? `${file}:${e.line}:${e.column ?? 1}` : file;
  return `${where}: ${e.field ? `${e.field}: ` : ''}${e.message}`;
}

const RUNTIMES = ['nodejs22', 'nodejs24', 'nodejs20'] as const;

export function registerWorkspace(program: Command): void {
  // `init function NAME --dir D` and `init --example NAME --dir D` each have a --dir: with positional options,
  // options after a subcommand's name belong to that subcommand.
  program.enablePositionalOptions();
  const init = program
    .command('init')
    .description('scaffold new things: `init function NAME`, or a ready folder set with `init --example NAME`')
    .option('--example <name>', 'write an example (order-flow, hello) into --dir')
    .option('--dir <dir>', 'folder for the example (default ./<name>)')
    .action(async (opts: { example?: string; dir?: string }) => {
      if (!opts.example) {
        const names = (await listExamples()).map((e) => `  ${e.name.padEnd(12)} ${e.description}`).join('\n');
        throw new CliError(`say what to create: \`kyma-local init function NAME\` or \`kyma-local init --example NAME\`; examples:\n${names}`);
      }
      const dir = resolve(opts.dir ?? opts.example);
      let files: string[];
      try {
        files = await writeExample(opts.example, dir);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      for (const f of files) process.stdout.write(`created ${relative(process.cwd(), join(dir, f)) || f}\n`);
      const rel = relative(process.cwd(), dir) || '.';
      process.stderr.write(`Next: cd ${rel} && kyma-local up && kyma-local dev . (see ${join(rel, 'README.md')})\n`);
    });
  init
    .command('function')
    .description('create a function folder (config.yaml + handler.js + package.json, Kyma CLI format)')
    .argument('<name>', 'function name (DNS-1123 label)')
    .option('--dir <dir>', 'folder to create (default ./<name>)')
    .option('--runtime <runtime>', `one of ${RUNTIMES.join(', ')}`, 'nodejs22')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .action(async (name: string, opts: { dir?: string; runtime: string; namespace: string }) => {
      if (!(RUNTIMES as readonly string[]).includes(opts.runtime)) throw new CliError(`--runtime ${opts.runtime}: supported: ${RUNTIMES.join(', ')}`);
      const dir = resolve(opts.dir ?? name);
      try {
        const files = await scaffoldFunction({ name, dir, runtime: opts.runtime as (typeof RUNTIMES)[number], namespace: opts.namespace });
        for (const f of files) process.stdout.write(`created ${relative(process.cwd(), f) || f}\n`);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      process.stderr.write(`Next: kyma-local dev ${relative(process.cwd(), dir) || '.'}\n`);
    });

  program
    .command('export')
    .description('write Kyma manifests for function folders, ready to apply to a real cluster')
    .argument('<dir...>', 'function folders, or folders containing them')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (dirs: string[], opts: { output?: string }) => {
      const folders = await discoverFunctionFolders(dirs.map((d) => resolve(d)));
      if (folders.length === 0) throw new CliError(`no function folder (with config.yaml) found in ${dirs.join(', ')}`);
      const objects: KubeObject[] = [];
      const errors: string[] = [];
      for (const dir of folders) {
        const r = await readFunctionFolder(dir);
        if (r.ok) objects.push(r.function, ...r.others);
        else errors.push(...r.errors.map(formatWorkspaceError));
      }
      if (errors.length > 0) throw new CliError(`cannot export:\n  ${errors.join('\n  ')}`);
      const yaml = exportManifests(objects);
      if (opts.output) {
        writeFileSync(opts.output, yaml);
        process.stderr.write(`Wrote ${objects.length} object(s) to ${opts.output} — apply with: kubectl apply -f ${opts.output}\n`);
      } else process.stdout.write(yaml);
    });
}

