import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../model/index.js';
import { SOURCE_DIR_ANNOTATION } from './function-state.js';

export interface DebugPlacement {
  /** Folder the debug worker loads handler.js from. */
  handlerDir: string;
  handlerFile: string;
  fromDevFolder: boolean;
}

/**
 * Where a debugged function's handler is loaded from, so that debuggers see a path the user knows: a dev folder's
 * own handler.js (breakpoints set in the editor's file hit), else a stable per-function copy that keeps its path
 * across saves (revision folders change name with every revision).
 */
export async function debugPlacement(fn: KubeObject, revDir: string, stableDir: string): Promise<DebugPlacement> {
  const sourceDir = fn.metadata.annotations?.[SOURCE_DIR_ANNOTATION];
  if (sourceDir) {
    const own = path.join(sourceDir, 'handler.js');
    const ok = await fs.access(own).then(
      () => true,
      () => false,
    );
    if (ok) return { handlerDir: sourceDir, handlerFile: own, fromDevFolder: true };
  }
  await fs.mkdir(stableDir, { recursive: true });
  for (const file of ['handler.js', 'package.json']) await fs.copyFile(path.join(revDir, file), path.join(stableDir, file));
  return { handlerDir: stableDir, handlerFile: path.join(stableDir, 'handler.js'), fromDevFolder: false };
}
