// The dashboard's snapshot calls: files in the home's snapshots/ folder, save and load with progress.
import { apiPath, type SnapshotFileInfo, type TaskLine } from '../../../main/core/api/index.js';
import { api, ApiError, ndjson } from './client.js';

export type SnapshotTaskLine = TaskLine<{ file?: string; bytes?: number; functions?: { ready: number; total: number } }>;

export const listSnapshotFiles = (o: { signal?: AbortSignal } = {}) => api<{ items: SnapshotFileInfo[] }>(apiPath('snapshotFiles'), o);

/** Where the browser downloads a saved snapshot from. */
export const snapshotFileUrl = (name: string) => apiPath('snapshotFile', { name });

/** Saves (`save`, body {name, withEvents, withTelemetry}) or loads (`load`, body {name, replace}), streaming progress lines. */
export function runSnapshotTask(kind: 'save' | 'load', body: Record<string, unknown>, onBatch: (lines: SnapshotTaskLine[]) => void): Promise<void> {
  return ndjson<SnapshotTaskLine>(apiPath(kind === 'save' ? 'snapshotSave' : 'snapshotLoad'), { method: 'POST', body, onBatch });
}

/** Uploads a snapshot file from the user's disk into the home's snapshots folder; resolves with its name there. */
export async function uploadSnapshot(file: File): Promise<string> {
  const base = file.name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  const name = base.endsWith('.kyma') ? base : `${base || 'snapshot'}.kyma`;
  const res = await fetch(apiPath('snapshotFile', { name }), { method: 'PUT', credentials: 'same-origin', body: file });
  if (!res.ok) throw new ApiError(res.status, ((await res.json().catch(() => ({}))) as { message?: string }).message ?? `upload failed (${res.status})`);
  return name;
}
