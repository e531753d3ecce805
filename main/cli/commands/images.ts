import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { apiPath, type ImageListReport, type ImagesLoadResult, type ImagesSaveResult } from '../../core/api/index.js';
import { ensureDaemon } from '../../core/daemon-client/index.js';
import { CliError } from '../cli-error.js';
import { daemonTask } from '../daemon-task.js';
import { stateDir } from '../context.js';
import { table } from '../output.js';
import { profileArg } from './up.js';

// The work runs in the daemon (started if needed): the CLI never loads dockerode or the kind runtime, and the
// daemon already resolves profiles and the cache dir. Paths are made absolute here (the daemon's cwd differs).

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

const mark = (v: boolean | undefined): string => (v === undefined ? '-' : v ? 'yes' : 'no');

export function renderImageList(r: ImageListReport): string {
  const archive = r.archive.exists
    ? r.archive.error
      ? `archive ${r.archive.file}: ${r.archive.error}`
      : `archive ${r.archive.file} (${r.archive.platform}, saved ${r.archive.createdAt})`
    : `no archive yet at ${r.archive.file}`;
  const rows = r.images.map((i) => [i.image, i.sources.join(', '), mark(i.inEngine), mark(i.inArchive)]);
  const inEngine = r.images.filter((i) => i.inEngine).length;
  const inArchive = r.images.filter((i) => i.inArchive).length;
  return [
    `Images for profile ${r.profile} (${r.platform}); ${archive}`,
    table(['IMAGE', 'NEEDED BY', 'IN DOCKER', 'IN ARCHIVE'], rows),
    `${r.images.length} image(s): ${inEngine} in Docker, ${r.archive.exists && !r.archive.error ? `${inArchive} in the archive` : 'no archive'} — \`kyma-local images save --profile ${r.profile}\` bundles them`,
  ].join('\n');
}

export function registerImages(program: Command): void {
  const images = program
    .command('images')
    .description('the container images a kind profile needs: list them, save them to one archive, load it (offline demos)');

  images
    .command('list')
    .description('every image the profile\'s modules, function runtimes and local registry need, with where each is')
    .option('-p, --profile <name|file>', 'a kind profile (default: the last one used if it is a kind profile, else kind)')
    .option('-i, --input <file>', 'the archive to look into (default: the profile\'s archive in the cache)')
    .option('--platform <os/arch>', 'linux/amd64 or linux/arm64 (default: the Docker engine\'s)')
    .option('--json', 'machine-readable output', false)
    .option('-o, --output <format>', 'json (same as --json)')
    .action(async (opts: { profile?: string; input?: string; platform?: string; json: boolean; output?: string }) => {
      if (opts.output && opts.output !== 'json') throw new CliError(`unknown output format "${opts.output}" — use -o json or --json`, 2);
      const profile = profileArg(opts.profile);
      const { client } = await ensureDaemon(stateDir());
      const report = await client.request<ImageListReport>('GET', apiPath('images', {}, { profile, archive: opts.input ? resolve(opts.input) : undefined, platform: opts.platform }));
      if (opts.json || opts.output === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else process.stdout.write(renderImageList(report) + '\n');
    });

  images
    .command('save')
    .description('pull the images Docker lacks, then write all of them to one archive (docker save plus a manifest)')
    .option('-p, --profile <name|file>', 'a kind profile (default: the last one used if it is a kind profile, else kind)')
    .option('-o, --output <file>', 'the archive to write (default: $KYMA_LOCAL_HOME/cache/images/<profile>-<os>-<arch>.tar)')
    .option('--platform <os/arch>', 'linux/amd64 or linux/arm64 (default: the Docker engine\'s)')
    .option('--offline', 'never pull: a missing image is an error listing what is missing', false)
    .option('--force', 'overwrite an existing file given with -o', false)
    .action(async (opts: { profile?: string; output?: string; platform?: string; offline: boolean; force: boolean }) => {
      const file = opts.output ? resolve(opts.output) : undefined;
      if (file && existsSync(file) && !opts.force) throw new CliError(`${opts.output} exists — pick another name or add --force to overwrite it`, 2);
      const profile = profileArg(opts.profile);
      const r = await daemonTask<ImagesSaveResult>('imagesSave', { ...(profile ? { profile } : {}), ...(file ? { file } : {}), ...(opts.platform ? { platform: opts.platform } : {}), offline: opts.offline });
      const pulled = r.pulled.length > 0 ? `, ${r.pulled.length} pulled` : '';
      process.stdout.write(`Saved ${r.file} (${mib(r.bytes)}; ${r.manifest.images.length} image(s) for ${r.manifest.platform}${pulled})\n`);
      process.stdout.write(`Load it on the offline machine with: kyma-local images load -i ${r.file}\n`);
    });

  images
    .command('load')
    .description('verify an archive, load it into Docker and push it into the kind cluster\'s local registry when that runs')
    .option('-i, --input <file>', 'the archive (default: the profile\'s archive in the cache)')
    .option('-p, --profile <name|file>', 'picks the default archive (default: the last one used if it is a kind profile, else kind)')
    .action(async (opts: { input?: string; profile?: string }) => {
      const file = opts.input ? resolve(opts.input) : undefined;
      if (file && !existsSync(file)) throw new CliError(`${opts.input} not found`, 2);
      const profile = profileArg(opts.profile);
      const r = await daemonTask<ImagesLoadResult>('imagesLoad', { ...(profile ? { profile } : {}), ...(file ? { file } : {}) });
      process.stdout.write(`Loaded ${r.loaded.length} image(s) from ${r.file} (${r.manifest.platform}, saved ${r.manifest.createdAt})\n`);
      process.stdout.write(`Cluster: ${r.cluster}\n`);
    });
}
