import { api, ApiError, resourcePath } from './client.js';
import type { DevFolderState, FunctionDetails, KubeList, KubeObject, RevisionRecord } from './types.js';
import { listDevFolders, listFunctions, listRevisions } from './daemon.js';

export interface FunctionRow {
  namespace: string;
  name: string;
  /** Running / Deploying / Failed / Pending, from the Function's Running condition. */
  phase: string;
  message?: string;
  details?: FunctionDetails;
  folder?: DevFolderState;
  /** The newest revision (its save→ready latency and outcome). */
  lastRevision?: RevisionRecord;
  resource: KubeObject;
}

export function functionPhase(fn: KubeObject): { phase: string; message?: string } {
  const running = fn.status?.conditions?.find((c) => c.type === 'Running');
  if (!running) return { phase: 'Pending' };
  const phase = running.status === 'True' ? 'Running' : running.status === 'False' ? 'Failed' : 'Deploying';
  return { phase, ...(running.message ? { message: running.message } : {}) };
}

/** Function resources joined with the serverless module's view (revisions, replicas) and dev-loop folders. */
export async function loadFunctions(signal: AbortSignal): Promise<{ rows: FunctionRow[]; serverless?: ApiError }> {
  const [list, details, dev] = await Promise.all([
    api<KubeList>(resourcePath('Function'), { signal }),
    listFunctions({ signal }).catch((err: unknown) => (err instanceof ApiError ? err : Promise.reject(err))),
    listDevFolders({ signal }).catch(() => ({ items: [] as DevFolderState[] })),
  ]);
  const detailItems = details instanceof ApiError ? [] : details.items;
  const rows = list.items.map((fn): FunctionRow => {
    const ns = fn.metadata.namespace ?? 'default';
    const d = detailItems.find((x) => x.namespace === ns && x.name === fn.metadata.name);
    const folder = dev.items.find((f) => f.function?.namespace === ns && f.function.name === fn.metadata.name);
    return { namespace: ns, name: fn.metadata.name, ...functionPhase(fn), resource: fn, ...(d ? { details: d } : {}), ...(folder ? { folder } : {}) };
  });
  await Promise.all(
    rows.map(async (r) => {
      if (!r.details) return;
      const revs = await listRevisions(r.namespace, r.name, { signal }).catch(() => undefined);
      const last = revs?.items[revs.items.length - 1];
      if (last) r.lastRevision = last;
    }),
  );
  rows.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return { rows, ...(details instanceof ApiError ? { serverless: details } : {}) };
}

export const SOURCE_DIR_ANNOTATION = 'kyma-local.io/source-dir';
