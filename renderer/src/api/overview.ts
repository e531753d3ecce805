// What the Overview page loads besides the status: resource counts and the errors worth showing first.
import { api, KINDS, resourcePath, type KindName } from './client.js';
import { listDevFolders, listFunctions } from './daemon.js';
import type { DevFolderState, FunctionDetails, KubeList } from './types.js';

export async function counts(signal: AbortSignal): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await Promise.all(
    (Object.keys(KINDS) as KindName[]).map(async (k) => {
      try {
        out[k] = (await api<KubeList>(resourcePath(k), { signal })).items.length;
      } catch {
        out[k] = NaN;
      }
    }),
  );
  return out;
}

export async function recentErrors(signal: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const [fns, dev] = await Promise.all([
    listFunctions({ signal }).catch(() => ({ items: [] as FunctionDetails[] })),
    listDevFolders({ signal }).catch(() => ({ items: [] as DevFolderState[] })),
  ]);
  for (const f of fns.items) {
    if (f.lastError) out.push(`${f.namespace}/${f.name}: ${f.lastError.message}${f.lastError.file ? ` (${f.lastError.file}${f.lastError.line ? `:${f.lastError.line}` : ''})` : ''}`);
  }
  for (const d of dev.items) for (const e of d.errors) out.push(`${d.dir}: ${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.field ? `${e.field}: ` : ''}${e.message}`);
  return out;
}
