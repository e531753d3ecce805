import type { Condition, KubeObject } from '../../model/index.js';
import type { Worker } from './workers.js';

/** A condition without its transition time; `withTransitions` keeps the old time when the status did not change. */
export type CondSpec = Omit<Condition, 'lastTransitionTime'>;

export interface RunningInput {
  desired: number;
  /** The workers of the serving revision, if any. */
  workers: Worker[] | undefined;
  revision: number | undefined;
  /** A revision being started while none serves. */
  deploying?: number;
  /** Why the first revision could not start (no revision serving). */
  failure?: string;
}

function tailOf(lines: string[], n = 3): string {
  return lines.slice(-n).join(' | ');
}

/** The Running condition from the serving revision's workers (the local Deployment). */
export function runningCondition(i: RunningInput): CondSpec {
  if (!i.workers || i.revision === undefined) {
    if (i.deploying !== undefined) return { type: 'Running', status: 'Unknown', reason: 'DeploymentCreated', message: `Starting revision ${i.deploying} (${i.desired} replica(s))` };
    if (i.failure) return { type: 'Running', status: 'False', reason: 'DeploymentFailed', message: i.failure };
    return { type: 'Running', status: 'Unknown', reason: 'DeploymentWaiting', message: 'No revision deployed yet' };
  }
  const statuses = i.workers.map((w) => w.proc.status());
  const ready = statuses.filter((s) => s.state === 'Ready').length;
  const troubled = statuses.find((s) => s.state === 'CrashLoop') ?? statuses.find((s) => s.state === 'Backoff' || s.state === 'Failed');
  if (troubled) {
    const what = troubled.state === 'CrashLoop' ? 'is crash-looping' : troubled.state === 'Failed' ? 'failed' : 'crashed and is restarting';
    const stderr = tailOf(troubled.lastStderr);
    return {
      type: 'Running',
      status: 'False',
      reason: 'MinReplicasNotAvailable',
      message: `${ready}/${i.desired} replicas ready (revision ${i.revision}); worker ${troubled.name} ${what} (${troubled.restarts} restarts${troubled.lastExit ? `, last exit code ${troubled.lastExit.code ?? troubled.lastExit.signal}` : ''})${stderr ? `; last stderr: ${stderr}` : ''}`,
    };
  }
  if (ready >= i.desired) {
    const message = i.desired === 0 ? `Scaled to 0 replicas (revision ${i.revision})` : `Function is ready: ${ready}/${i.desired} replicas of revision ${i.revision}`;
    return { type: 'Running', status: 'True', reason: 'DeploymentReady', message };
  }
  return { type: 'Running', status: 'Unknown', reason: 'DeploymentWaiting', message: `${ready}/${i.desired} replicas ready (revision ${i.revision}); waiting for the rest` };
}

export function readyCount(workers: Worker[] | undefined): number {
  return (workers ?? []).filter((w) => w.proc.status().state === 'Ready').length;
}

/** Adds lastTransitionTime, keeping the previous one when type+status are unchanged (Kubernetes convention). */
export function withTransitions(prev: unknown, next: CondSpec[], now: string): Condition[] {
  const old = Array.isArray(prev) ? (prev as Condition[]) : [];
  return next.map((c) => {
    const p = old.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: p && p.status === c.status && p.lastTransitionTime ? p.lastTransitionTime : now };
  });
}

/** Upstream's pod selector (a label selector string, as the scale subresource wants it). */
export function podSelector(fn: KubeObject): string {
  return [
    `serverless.kyma-project.io/function-name=${fn.metadata.name}`,
    'serverless.kyma-project.io/managed-by=function-controller',
    'serverless.kyma-project.io/resource=deployment',
    `serverless.kyma-project.io/uuid=${fn.metadata.uid ?? ''}`,
  ].join(',');
}
