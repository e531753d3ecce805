import type { Condition } from '../../model/index.js';

// Conditions the way the SAP BTP service operator writes them (api/common/consts.go and its condition helpers):
// Succeeded (reason Created/CreateInProgress/CreateFailed/…), Ready (Provisioned/NotProvisioned), and Failed
// only while the last operation failed. Reasons are the operation + outcome: Create, Update, Delete.

export type Operation = 'Create' | 'Update' | 'Delete';

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export interface ConditionStatus {
  conditions: Condition[];
  ready: 'True' | 'False';
}

export function inProgress(op: Operation, message: string): ConditionStatus {
  const t = now();
  return {
    ready: 'False',
    conditions: [
      { type: 'Succeeded', status: 'False', reason: `${op}InProgress`, message, lastTransitionTime: t },
      { type: 'Ready', status: 'False', reason: 'NotProvisioned', message, lastTransitionTime: t },
    ],
  };
}

export function succeeded(op: Operation, message: string): ConditionStatus {
  const t = now();
  const reason = op === 'Create' ? 'Created' : op === 'Update' ? 'Updated' : 'Deleted';
  return {
    ready: op === 'Delete' ? 'False' : 'True',
    conditions: [
      { type: 'Succeeded', status: 'True', reason, message, lastTransitionTime: t },
      { type: 'Ready', status: op === 'Delete' ? 'False' : 'True', reason: op === 'Delete' ? 'NotProvisioned' : 'Provisioned', message, lastTransitionTime: t },
    ],
  };
}

/** `ready` says whether the resource still serves (an update or delete that failed leaves it usable). */
export function failed(op: Operation, message: string, ready = false): ConditionStatus {
  const t = now();
  return {
    ready: ready ? 'True' : 'False',
    conditions: [
      { type: 'Succeeded', status: 'False', reason: `${op}Failed`, message, lastTransitionTime: t },
      { type: 'Failed', status: 'True', reason: `${op}Failed`, message, lastTransitionTime: t },
      { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Provisioned' : 'NotProvisioned', message, lastTransitionTime: t },
    ],
  };
}

/** Keeps lastTransitionTime of conditions whose status did not change, so a re-write is not a transition. */
export function carryTransitionTimes(next: Condition[], prev: unknown): Condition[] {
  const old = Array.isArray(prev) ? (prev as Condition[]) : [];
  return next.map((c) => {
    const o = old.find((x) => x.type === c.type);
    return o && o.status === c.status && o.reason === c.reason && o.lastTransitionTime ? { ...c, lastTransitionTime: o.lastTransitionTime } : c;
  });
}

/** ` (retrying in 2 s)` / ` (retrying in 200 ms)`, appended to a transient failure's message. */
export function retryNote(delayMs: number, verb = 'retrying'): string {
  return ` (${verb} in ${delayMs < 1000 ? `${delayMs} ms` : `${Math.round(delayMs / 1000)} s`})`;
}
