import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ModuleInstallStep } from './install-plan.js';
import type { KubeObjectLike } from './kube-client.js';

export function manifestCachePath(cacheDir: string, step: Pick<ModuleInstallStep, 'manifestFile'>): string {
  return join(cacheDir, 'manifests', step.manifestFile);
}

/**
 * A module's release manifest: from the cache (or an offline bundle directory), else downloaded once from its
 * pinned release URL into the cache. Offline without it, the error names the URL and the file to place.
 */
export async function loadManifest(step: Pick<ModuleInstallStep, 'manifestFile' | 'manifestUrl' | 'module'>, cacheDir: string, opts: { bundleDir?: string; timeoutMs?: number } = {}): Promise<string> {
  const cached = manifestCachePath(cacheDir, step);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  if (opts.bundleDir && existsSync(join(opts.bundleDir, step.manifestFile))) return readFileSync(join(opts.bundleDir, step.manifestFile), 'utf8');
  let text: string;
  try {
    const res = await fetch(step.manifestUrl, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (err) {
    const why = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
    throw new Error(`cannot download the ${step.module} manifest ${step.manifestUrl} (${why}) — on an offline machine download it elsewhere and place it at ${cached}`);
  }
  mkdirSync(join(cacheDir, 'manifests'), { recursive: true });
  writeFileSync(`${cached}.tmp`, text);
  renameSync(`${cached}.tmp`, cached);
  return text;
}

/** The objects of a multi-document manifest, empty documents dropped; a YAML error names the document. */
export function manifestObjects(text: string, source: string): KubeObjectLike[] {
  const out: KubeObjectLike[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${source}: document ${i + 1}: ${doc.errors[0]!.message}`);
    const obj = doc.toJS() as KubeObjectLike | null;
    if (obj && typeof obj === 'object' && obj.kind) out.push(obj);
  });
  return out;
}
