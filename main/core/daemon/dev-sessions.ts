import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KubeObject, Logger } from '../model/index.js';
import type { DevEvent, DevFolderState } from '../api/index.js';
import type { DevLoopCapability } from '../runtime.js';
import { discoverFunctionFolders, readFunctionFolder, SAVED_AT_ANNOTATION, watchFunctionFolders, type FolderWatcher } from '../workspace/index.js';

export type { DevEvent, DevFolderState };

/**
 * The dev loop: function folders on disk → Function (and declared Subscription/APIRule) resources, re-applied
 * on every save. Roots are persisted so a restarted daemon keeps watching them.
 */
export class DevSessions {
  private readonly roots = new Set<string>();
  private readonly folders = new Map<string, DevFolderState>();
  private readonly listeners = new Set<(ev: DevEvent) => void>();
  private watcher: FolderWatcher | undefined;

  constructor(
    /** The current runtime's dev loop (it may change with the profile); throws a 501 ApiError when it has none. */
    private readonly devLoop: () => DevLoopCapability,
    private readonly log: Logger,
    private readonly persistFile: string,
    /** Whether Subscriptions/APIRules declared in config.yaml should be applied (their module is enabled). */
    private readonly wantsKind: (kind: string) => boolean,
  ) {}

  async restore(): Promise<void> {
    let saved: string[] = [];
    try {
      saved = (JSON.parse(readFileSync(this.persistFile, 'utf8')) as { roots?: string[] }).roots ?? [];
    } catch {
      return;
    }
    if (saved.length > 0) await this.add(saved).catch((err: Error) => this.log.warn(`Could not resume watching ${saved.join(', ')}: ${err.message}`));
  }

  onEvent(listener: (ev: DevEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): DevFolderState[] {
    return [...this.folders.values()].sort((a, b) => a.dir.localeCompare(b.dir));
  }

  async add(dirs: string[]): Promise<DevFolderState[]> {
    const abs = dirs.map((d) => resolve(d));
    const found = new Map<string, string>();
    for (const root of abs) {
      const folders = await discoverFunctionFolders([root]);
      if (folders.length === 0) throw new Error(`${root}: no function folder found (a folder with config.yaml, or subfolders with one) — create one with \`kyma-local init function NAME\``);
      for (const f of folders) found.set(f, root);
    }
    for (const root of abs) this.roots.add(root);
    this.persist();
    for (const [dir, root] of found) await this.sync(dir, root, Date.now());
    await this.rewatch();
    return [...found.keys()].map((d) => this.folders.get(d)!).filter(Boolean);
  }

  async remove(dirs: string[]): Promise<void> {
    for (const d of dirs.map((x) => resolve(x))) {
      this.roots.delete(d);
      for (const [dir, st] of this.folders) if (st.root === d || dir === d) this.folders.delete(dir);
    }
    this.persist();
    await this.rewatch();
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
  }

  private async rewatch(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    if (this.roots.size === 0) return;
    const roots = [...this.roots];
    this.watcher = await watchFunctionFolders(
      roots,
      (change) => {
        if (change.removed) {
          this.folders.delete(change.dir);
          this.emit({ type: 'removed', dir: change.dir });
          return;
        }
        const root = roots.find((r) => change.dir === r || change.dir.startsWith(r + '/')) ?? change.dir;
        void this.sync(change.dir, root, change.at);
      },
      { logger: this.log },
    );
  }

  /** Reads one folder and applies it; a broken folder is reported and leaves the last good version alone. */
  private async sync(dir: string, root: string, savedAt: number): Promise<void> {
    const state: DevFolderState = this.folders.get(dir) ?? { dir, root, errors: [] };
    this.folders.set(dir, state);
    const read = await readFunctionFolder(dir);
    if (!read.ok) {
      state.errors = read.errors;
      for (const e of read.errors) this.log.warn(`${e.file}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.message}`, { dir });
      this.emit({ type: 'folder-error', dir, errors: read.errors });
      return;
    }
    state.errors = [];
    if (state.contentHash === read.contentHash) return;
    const fn: KubeObject = withSavedAt(read.function, savedAt);
    try {
      const loop = this.devLoop();
      const { outcome, object } = await loop.apply(fn);
      for (const other of read.others) if (this.wantsKind(other.kind)) await loop.apply(other);
      state.contentHash = read.contentHash;
      state.function = { namespace: object.metadata.namespace ?? 'default', name: object.metadata.name };
      state.lastAppliedAt = new Date().toISOString();
      this.emit({ type: 'applied', dir, function: state.function, outcome, savedAt });
    } catch (err) {
      const message = (err as Error).message;
      state.errors = [{ file: dir, message }];
      this.log.warn(`Applying ${dir} failed: ${message}`);
      this.emit({ type: 'apply-error', dir, message });
    }
  }

  private emit(ev: DevEvent): void {
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch {
        // a slow or broken stream client must not stop the dev loop
      }
    }
  }

  private persist(): void {
    const tmp = `${this.persistFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ roots: [...this.roots] }) + '\n', { mode: 0o600 });
    renameSync(tmp, this.persistFile);
  }
}

function withSavedAt(fn: KubeObject, savedAt: number): KubeObject {
  return { ...fn, metadata: { ...fn.metadata, annotations: { ...(fn.metadata.annotations ?? {}), [SAVED_AT_ANNOTATION]: String(savedAt) } } };
}
