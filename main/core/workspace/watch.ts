import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { silentLogger, type Logger } from '../model/index.js';
import { discoverFunctionFolders, hasConfig, isSkippedDir } from './discover.js';
import { CONFIG_FILE } from './read-folder.js';

export interface FolderChange {
  /** Absolute function folder. */
  dir: string;
  /** Absolute paths that changed in this debounce window; [] when removed. */
  files: string[];
  /** ms epoch of the first fs event of the window: the start of save→ready latency. */
  at: number;
  /** The folder (or its config.yaml) is gone. */
  removed?: boolean;
}

export interface WatchOptions {
  /** Quiet time per folder before the callback fires. Default 40 ms. */
  debounceMs?: number;
  /** Where errors of the watcher or of onChange go. */
  logger?: Logger;
}

export interface FolderWatcher {
  close(): Promise<void>;
  /** Function folders currently known, sorted. */
  folders(): string[];
}

const RELEVANT_NAMES = new Set([CONFIG_FILE, 'package.json', 'requirements.txt']);
const RELEVANT_EXT = new Set(['.js', '.mjs', '.cjs', '.py']);

function isRelevantFile(p: string): boolean {
  return RELEVANT_NAMES.has(path.basename(p)) || RELEVANT_EXT.has(path.extname(p));
}

interface Pending {
  files: Set<string>;
  at: number;
  timer: NodeJS.Timeout;
}

/**
 * Watches function folders under `roots` (the same layout discoverFunctionFolders understands) and calls
 * `onChange` once per folder per burst of saves. New folders are reported when their config.yaml appears;
 * a folder whose config.yaml (or the folder itself) disappears is reported with `removed: true`.
 * No awaitWriteFinish: editors' rename-over saves and truncate+write saves both end within the debounce window,
 * and waiting for write stability would add its poll interval to every save's latency.
 */
export async function watchFunctionFolders(
  roots: string[],
  onChange: (change: FolderChange) => void,
  opts: WatchOptions = {},
): Promise<FolderWatcher> {
  const debounceMs = opts.debounceMs ?? 40;
  const logger = opts.logger ?? silentLogger;
  const absRoots = roots.map((r) => path.resolve(r));
  const known = new Set(await discoverFunctionFolders(absRoots));
  const pending = new Map<string, Pending>();
  const chains = new Map<string, Promise<void>>();
  let closed = false;

  const folderOf = (p: string, isDir: boolean): string | undefined => {
    const root = absRoots.find((r) => p === r || p.startsWith(r + path.sep));
    if (!root) return undefined;
    const rel = path.relative(root, p);
    if (rel === '' || known.has(root)) return root;
    const parts = rel.split(path.sep);
    if (parts.length === 1 && !isDir) return parts[0] === CONFIG_FILE ? root : undefined;
    return path.join(root, parts[0] as string);
  };

  const flush = async (dir: string, files: string[], at: number): Promise<void> => {
    const present = await hasConfig(dir);
    if (closed) return;
    if (present) {
      // A folder seen for the first time is reported with its config.yaml even if that event lands in the next window.
      const isNew = !known.has(dir);
      known.add(dir);
      const config = path.join(dir, CONFIG_FILE);
      deliver({ dir, files: isNew && !files.includes(config) ? [...files, config].sort() : files, at });
    } else if (known.delete(dir)) {
      deliver({ dir, files: [], at, removed: true });
    }
  };

  const deliver = (change: FolderChange): void => {
    try {
      onChange(change);
    } catch (e) {
      logger.error('function folder change handler failed', { dir: change.dir, error: (e as Error).message });
    }
  };

  const schedule = (dir: string, file: string, at: number): void => {
    const p = pending.get(dir);
    if (p) {
      clearTimeout(p.timer);
      p.files.add(file);
    }
    const entry: Pending = p ?? { files: new Set([file]), at, timer: undefined as unknown as NodeJS.Timeout };
    entry.timer = setTimeout(() => {
      pending.delete(dir);
      // Serialised per folder so a slow existence check cannot reorder two bursts.
      const files = [...entry.files].filter((f) => f !== dir).sort();
      const next = (chains.get(dir) ?? Promise.resolve()).then(() => flush(dir, files, entry.at));
      chains.set(dir, next.catch((e: unknown) => logger.error('function folder flush failed', { dir, error: String(e) })));
    }, debounceMs);
    pending.set(dir, entry);
  };

  const isIgnored = (p: string): boolean => {
    const root = absRoots.find((r) => p === r || p.startsWith(r + path.sep));
    if (!root) return false;
    return path.relative(root, p).split(path.sep).some((seg) => seg !== '' && isSkippedDir(seg));
  };

  const watcher: FSWatcher = watch(absRoots, {
    ignoreInitial: true,
    depth: 2,
    atomic: false,
    ignored: (p: string) => isIgnored(p),
  });
  const onFileEvent = (p: string, isDir: boolean): void => {
    const at = Date.now();
    const dir = folderOf(p, isDir);
    if (!dir) return;
    if (isDir ? p !== dir : !isRelevantFile(p)) return;
    schedule(dir, p, at);
  };
  watcher.on('all', (event, p) => onFileEvent(p, event === 'addDir' || event === 'unlinkDir'));
  // chokidar drops a path's `change` events for 50 ms after emitting one (leading-edge throttle, no trailing
  // event), so a save landing just after our callback would be lost. The raw fs.watch events are not throttled.
  watcher.on('raw', (_event, evPath, details) => {
    const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof evPath !== 'string' || !evPath || typeof watched !== 'string') return;
    // A file watch reports its own basename; a directory watch reports the child's name.
    const full = watched.endsWith(path.sep + evPath) ? watched : path.join(watched, evPath);
    if (isRelevantFile(full) && !isIgnored(full)) onFileEvent(full, false);
  });
  watcher.on('error', (e) => logger.error('function folder watcher error', { error: String(e) }));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    async close() {
      closed = true;
      for (const p of pending.values()) clearTimeout(p.timer);
      pending.clear();
      await watcher.close();
      await Promise.all(chains.values());
    },
    folders: () => [...known].sort(),
  };
}
