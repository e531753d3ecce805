import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FUNCTION, findTypeByKind, NAMESPACE, parseApiVersion, RESOURCE_TYPES, type KubeObject, type ResourceType } from '../../model/index.js';
import type { EventWithAttempts } from '../../api/index.js';
import type { RuntimeStatus } from '../../runtime.js';
import { SnapshotError, unpackSnapshot, verifySnapshot, type SnapshotManifest } from '../../snapshot/index.js';
import { portable, type SnapshotHost, type SnapshotProgress } from './host.js';

export interface LoadOptions {
  /** Absolute path of the snapshot file. */
  file: string;
  /** Overwrite a cluster that has resources or dev folders. */
  replace?: boolean;
  /** How long to wait for every Function to be Ready after `up`. */
  readyTimeoutMs?: number;
}

export interface LoadResult {
  manifest: SnapshotManifest;
  status: RuntimeStatus;
  functions: { ready: number; total: number; notReady: string[] };
  warnings: string[];
}

const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kyma-system']);

function typeOf(obj: KubeObject): ResourceType {
  const t = findTypeByKind(obj.apiVersion, obj.kind, RESOURCE_TYPES);
  if (!t) throw new SnapshotError(`the snapshot holds a ${obj.apiVersion} ${obj.kind}, which this version does not know — upgrade Kyma Local`);
  return t;
}

/** Defaults and validates every object as the store will, so a bad one is refused before anything is changed. */
function validateAll(objects: KubeObject[]): void {
  for (const o of objects) {
    const type = typeOf(o);
    const version = parseApiVersion(o.apiVersion).version;
    const errors = type.validate(type.applyDefaults(o, version), version);
    if (errors.length > 0) {
      const where = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
      throw new SnapshotError(`the snapshot's ${where} is invalid here: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')} — it was saved by another version; nothing was changed`);
    }
  }
}

/** What the cluster holds that a load would overwrite. */
function userState(host: SnapshotHost): KubeObject[] {
  return RESOURCE_TYPES.flatMap((t) => host.store.list(t).items).filter((o) => !(o.kind === 'Namespace' && BUILTIN_NAMESPACES.has(o.metadata.name)));
}

/** Every reason to refuse before anything is changed. */
function refuseEarly(host: SnapshotHost, m: SnapshotManifest, replace: boolean): void {
  if (m.profile.runtime !== 'embedded') {
    throw new SnapshotError(`the snapshot comes from a ${m.profile.runtime} cluster (profile ${m.profile.name}); this version restores embedded clusters only`);
  }
  const unrunnable = m.contents.functions.filter((f) => !/^nodejs\d+$/.test(f.runtime));
  if (unrunnable.length > 0) {
    throw new SnapshotError(`the snapshot's functions ${unrunnable.map((f) => `${f.namespace}/${f.name} (${f.runtime})`).join(', ')} need a runtime this machine lacks: the embedded runtime runs Node.js functions only — restore it on a machine with the kind runtime`);
  }
  const existing = userState(host);
  const watched = host.dev.list().length;
  if ((existing.length > 0 || watched > 0) && !replace) {
    const names = existing.slice(0, 5).map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
    const what = [existing.length > 0 ? `${existing.length} resource(s) (${names.join(', ')}${existing.length > 5 ? ', …' : ''})` : '', watched > 0 ? `${watched} dev folder(s)` : ''].filter(Boolean).join(' and ');
    throw new SnapshotError(`this cluster is not empty: it has ${what} — load with --replace to overwrite them, or into a new home with --into NEW_HOME`);
  }
}

/**
 * Restores a snapshot: verify (integrity, format, runtimes) and refuse before touching anything; then stop the
 * cluster, swap resources, dev folders, npm cache entries and JetStream's store — undoing every step if one fails —
 * bring the cluster up with the snapshot's profile and wait for the functions.
 */
export async function loadSnapshot(host: SnapshotHost, opts: LoadOptions, progress: SnapshotProgress): Promise<LoadResult> {
  progress('verifying integrity');
  const manifest = await verifySnapshot(opts.file);
  refuseEarly(host, manifest, opts.replace === true);

  const stage = path.join(host.paths.root, `.snapshot-load-${randomBytes(4).toString('hex')}`);
  await mkdir(stage, { recursive: true, mode: 0o700 });
  const warnings: string[] = [];
  try {
    progress('unpacking');
    await unpackSnapshot(opts.file, stage);
    const objects = JSON.parse(await readFile(path.join(stage, 'resources.json'), 'utf8')) as KubeObject[];
    validateAll(objects);
    const profileText = await readFile(path.join(stage, 'profile.yaml'), 'utf8');
    const profileFile = path.join(host.userProfilesDir(), `${manifest.profile.name}.yaml`);
    const previousProfile = existsSync(profileFile) ? await readFile(profileFile, 'utf8') : undefined;
    if (previousProfile !== undefined && previousProfile !== profileText && opts.replace !== true) {
      throw new SnapshotError(`${profileFile} differs from the snapshot's profile ${manifest.profile.name} — load with --replace to overwrite it, or into a new home with --into NEW_HOME`);
    }

    progress('stopping the cluster');
    const wasUp = host.clusterStatus().phase !== 'Stopped';
    const previous = wasUp ? (await host.currentProfile()).source : undefined;
    await host.down();
    try {
      await restoreState(host, manifest, stage, objects, { profileFile, profileText, previousProfile }, path.basename(opts.file).replace(/\.[^.]*$/, ''));
    } catch (err) {
      // The previous state is back in place; so is the cluster it was running.
      if (previous) await host.up(previous, () => {}).catch((e: Error) => host.log.error(`Bringing the previous cluster back up failed: ${e.message}`));
      throw err;
    }

    progress(`bringing the cluster up with profile ${manifest.profile.name}`);
    const status = await host.up(profileFile, (ev) => {
      if (ev.state !== 'Pending' && ev.state !== 'Disabled') progress(`${ev.component}: ${ev.state}${ev.message ? ` ${ev.message}` : ''}`);
    });

    if (manifest.contents.events.included) {
      const events = JSON.parse(await readFile(path.join(stage, 'events.json'), 'utf8')) as EventWithAttempts[];
      const api = host.eventing();
      if (api) progress(`restored ${api.importEvents(events)} event record(s)`);
      else if (events.length > 0) warnings.push(`the snapshot's ${events.length} event record(s) were not restored: eventing is not in profile ${manifest.profile.name}`);
    }
    if (manifest.contents.telemetry.included) {
      const r = host.telemetry.importJsonLines(await readFile(path.join(stage, 'telemetry.jsonl'), 'utf8'));
      progress(`restored ${r.spans} span(s), ${r.logRecords} log record(s)`);
    }
    const functions = await waitForFunctions(host, opts.readyTimeoutMs ?? 60_000, progress);
    if (functions.notReady.length > 0) warnings.push(`not Ready after the wait: ${functions.notReady.join(', ')} — see \`kyma-local functions\``);
    return { manifest, status, functions, warnings };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

interface ProfileSwap {
  profileFile: string;
  profileText: string;
  previousProfile: string | undefined;
}

/** Swaps the cluster's state for the staged one; on any failure puts the previous state back and rethrows. */
async function restoreState(host: SnapshotHost, m: SnapshotManifest, stage: string, objects: KubeObject[], p: ProfileSwap, name: string): Promise<void> {
  const before = userState(host).map(portable);
  const beforeRoots = [...new Set(host.dev.list().map((f) => f.root))];
  const js = path.join(host.paths.cluster, 'jetstream');
  const jsBackup = `${js}.before-snapshot`;
  const undo: Array<() => Promise<unknown>> = [];
  try {
    await host.dev.remove(beforeRoots);
    undo.push(() => host.dev.add(beforeRoots));

    await replaceObjects(host, before, objects);
    undo.push(() => replaceObjects(host, objects, before));

    await mkdir(path.dirname(p.profileFile), { recursive: true });
    await writeFile(p.profileFile, p.profileText);
    undo.push(() => (p.previousProfile === undefined ? rm(p.profileFile, { force: true }) : writeFile(p.profileFile, p.previousProfile)));

    if (m.contents.events.included && existsSync(path.join(stage, 'jetstream'))) {
      await rm(jsBackup, { recursive: true, force: true });
      if (existsSync(js)) {
        await rename(js, jsBackup);
        undo.push(() => rename(jsBackup, js));
      }
      await rename(path.join(stage, 'jetstream'), js);
      undo.push(() => rm(js, { recursive: true, force: true }));
    }

    // Dependency cache entries are keyed by content: adding them can only help, so they are never undone.
    const npmCache = path.join(host.paths.cache, 'npm');
    await mkdir(npmCache, { recursive: true });
    for (const key of m.contents.npmEntries) {
      if (!existsSync(path.join(npmCache, key, 'node_modules'))) await rename(path.join(stage, 'npm', key), path.join(npmCache, key));
    }

    const roots: string[] = [];
    // Function sources land in the home, watched like any dev folder, so edits after the restore redeploy too.
    const base = path.join(host.paths.root, 'snapshots', name);
    for (const d of m.contents.devFolders) {
      const src = path.join(stage, 'dev', String(d.index));
      if (!existsSync(src)) continue;
      const dest = path.join(base, `dev-${d.index}-${path.basename(d.root)}`);
      await rm(dest, { recursive: true, force: true });
      await mkdir(path.dirname(dest), { recursive: true });
      await rename(src, dest);
      roots.push(dest);
    }
    if (roots.length > 0) {
      undo.push(() => host.dev.remove(roots));
      await host.dev.add(roots);
    }
    await rm(jsBackup, { recursive: true, force: true });
  } catch (err) {
    host.log.error(`Snapshot load failed, putting the previous state back: ${(err as Error).message}`);
    for (const step of undo.reverse()) await step().catch((e: Error) => host.log.error(`Undoing a snapshot step failed: ${e.message}`));
    throw err;
  }
}

/** Deletes `current` and creates `next` (namespaces first), so the store holds exactly `next`. */
async function replaceObjects(host: SnapshotHost, current: KubeObject[], next: KubeObject[]): Promise<void> {
  for (const o of current.filter((x) => x.kind !== 'Namespace')) {
    await host.store.delete(typeOf(o), o.metadata.namespace, o.metadata.name).catch(() => undefined);
  }
  for (const o of current.filter((x) => x.kind === 'Namespace' && !next.some((n) => n.kind === 'Namespace' && n.metadata.name === x.metadata.name))) {
    await host.store.delete(NAMESPACE, undefined, o.metadata.name).catch(() => undefined);
  }
  const ordered = [...next.filter((o) => o.kind === 'Namespace'), ...next.filter((o) => o.kind !== 'Namespace')];
  for (const o of ordered) {
    const type = typeOf(o);
    if (host.store.find(type, o.metadata.namespace, o.metadata.name)) continue;
    await host.store.create(o);
  }
}

function isReady(fn: KubeObject): boolean {
  const conds = ((fn.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []);
  return conds.some((c) => c.type === 'Running' && c.status === 'True');
}

async function waitForFunctions(host: SnapshotHost, timeoutMs: number, progress: SnapshotProgress): Promise<LoadResult['functions']> {
  const deadline = Date.now() + timeoutMs;
  let lastReady = -1;
  for (;;) {
    const fns = host.store.list(FUNCTION).items;
    const ready = fns.filter(isReady).length;
    if (ready !== lastReady) progress(`functions ready: ${ready}/${fns.length}`);
    lastReady = ready;
    if (ready === fns.length || Date.now() > deadline) {
      return { ready, total: fns.length, notReady: fns.filter((f) => !isReady(f)).map((f) => `${f.metadata.namespace}/${f.metadata.name}`) };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
