import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FUNCTION, RESOURCE_TYPES, type KubeObject } from '../../model/index.js';
import type { EventWithAttempts } from '../../api/index.js';
import { functionDependencyCacheKey } from '../runtime-factory.js';
import { packSnapshot, SNAPSHOT_FORMAT, type SnapshotManifest } from '../../snapshot/index.js';
import { portable, type SnapshotHost, type SnapshotProgress } from './host.js';

export interface SaveOptions {
  /** Absolute path of the file to write. */
  file: string;
  withEvents?: boolean;
  withTelemetry?: boolean;
  includeSecrets?: boolean;
}

export interface SaveResult {
  file: string;
  bytes: number;
  manifest: SnapshotManifest;
  warnings: string[];
}

const NOT_COPIED = new Set(['node_modules', '.git']);

export function inlineDependencies(fn: KubeObject): string {
  const inline = ((fn.spec as { source?: { inline?: { dependencies?: unknown } } } | undefined)?.source?.inline ?? {}) as { dependencies?: unknown };
  return typeof inline.dependencies === 'string' ? inline.dependencies : '';
}

/** Writes one file holding the cluster's state; staged in the state dir and renamed into place only when complete. */
export async function saveSnapshot(host: SnapshotHost, opts: SaveOptions, progress: SnapshotProgress): Promise<SaveResult> {
  const stage = path.join(host.paths.root, `.snapshot-save-${randomBytes(4).toString('hex')}`);
  const partial = `${opts.file}.${randomBytes(4).toString('hex')}.partial`;
  const warnings: string[] = [];
  await mkdir(stage, { recursive: true, mode: 0o700 });
  try {
    const profile = await host.currentProfile();
    await writeFile(path.join(stage, 'profile.yaml'), await readFile(profile.source, 'utf8'));

    progress('resources');
    const objects: KubeObject[] = [];
    const counts: Record<string, number> = {};
    for (const type of RESOURCE_TYPES) {
      if (type.kind === 'Secret' && !opts.includeSecrets) continue;
      for (const obj of host.store.list(type).items) {
        objects.push(portable(obj));
        counts[type.kind] = (counts[type.kind] ?? 0) + 1;
      }
    }
    if (opts.includeSecrets && (counts.Secret ?? 0) > 0) {
      warnings.push(`the snapshot holds ${counts.Secret} Secret(s) in plain text — share it only with people who may read them`);
    }
    await writeFile(path.join(stage, 'resources.json'), JSON.stringify(objects, null, 1) + '\n');
    const functions = host.store.list(FUNCTION).items;

    progress('function sources');
    const devFolders: SnapshotManifest['contents']['devFolders'] = [];
    const roots = [...new Set(host.dev.list().map((f) => f.root))];
    for (const [index, root] of roots.entries()) {
      const folders = host.dev.list().filter((f) => f.root === root);
      for (const f of folders) {
        const rel = path.relative(root, f.dir) || '.';
        await cp(f.dir, path.join(stage, 'dev', String(index), rel), { recursive: true, filter: (src) => !NOT_COPIED.has(path.basename(src)) });
      }
      devFolders.push({ index, root, functions: folders.flatMap((f) => (f.function ? [`${f.function.namespace}/${f.function.name}`] : [])) });
    }

    progress('npm dependency cache');
    const npmEntries: string[] = [];
    const npmCache = path.join(host.paths.cache, 'npm');
    for (const fn of functions) {
      const key = functionDependencyCacheKey(inlineDependencies(fn));
      if (!key || npmEntries.includes(key)) continue;
      const dir = path.join(npmCache, key);
      if (!existsSync(path.join(dir, 'node_modules'))) {
        warnings.push(`function ${fn.metadata.namespace}/${fn.metadata.name}: its dependencies are not installed yet, so a restore will need the npm registry`);
        continue;
      }
      await cp(dir, path.join(stage, 'npm', key), { recursive: true, verbatimSymlinks: true });
      npmEntries.push(key);
    }

    let events: EventWithAttempts[] = [];
    if (opts.withEvents) {
      progress('events');
      const api = host.eventing();
      if (api) {
        events = api
          .queryEvents({ limit: 1_000_000 })
          .flatMap((s) => api.getEvent(s.id) ?? [])
          .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
      } else warnings.push('eventing is not running: the snapshot holds no inspector records, only what JetStream has stored');
      await writeFile(path.join(stage, 'events.json'), JSON.stringify(events) + '\n');
      const js = path.join(host.paths.cluster, 'jetstream');
      if (existsSync(js)) await cp(js, path.join(stage, 'jetstream'), { recursive: true });
    }

    let telemetry = { included: false, spans: 0, logRecords: 0 };
    if (opts.withTelemetry) {
      progress('telemetry');
      const stats = host.telemetry.stats();
      await writeFile(path.join(stage, 'telemetry.jsonl'), host.telemetry.exportJsonLines());
      telemetry = { included: true, spans: stats.spans, logRecords: stats.logRecords };
    }

    progress('writing the file');
    const manifest = await packSnapshot(
      stage,
      {
        format: SNAPSHOT_FORMAT,
        app: { name: 'kyma-local', version: host.version },
        createdAt: new Date().toISOString(),
        profile: { name: profile.name, runtime: profile.runtime, modules: [...profile.modules] },
        contents: {
          resources: counts,
          functions: functions.map((f) => ({ namespace: f.metadata.namespace ?? 'default', name: f.metadata.name, runtime: String((f.spec as { runtime?: unknown } | undefined)?.runtime ?? '') })),
          secretsIncluded: opts.includeSecrets === true,
          devFolders,
          npmEntries,
          events: { included: opts.withEvents === true, count: events.length },
          telemetry,
          images: profile.runtime === 'embedded' ? 'none needed (embedded runtime: functions run on the host)' : 'not supported yet: the kind runtime will add its image archive here',
        },
      },
      partial,
    );
    await rename(partial, opts.file);
    return { file: opts.file, bytes: (await stat(opts.file)).size, manifest, warnings };
  } finally {
    await rm(stage, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}
