// The daemon's API types, shared with main/ by type-only imports (nothing from main/ is bundled).
export type { RuntimeStatus, ComponentStatus, ComponentState, ProgressEvent } from '../../../main/core/runtime.js';
export type { EventRecord, AttemptRecord, EventWithAttempts, InspectorEntry, SubscriptionRef } from '../../../main/core/embedded/eventing/types.js';
export type { FunctionDetails, RevisionRecord, RevisionError, WorkerInfo } from '../../../main/core/embedded/serverless/types.js';
export type { SpanView, TraceSummary, TraceDetail } from '../../../main/core/telemetry/span-model.js';
export type { LogEntry, LogLevelName } from '../../../main/core/telemetry/log-store.js';
export type { MetricSeries, MetricPoint, HistogramValue } from '../../../main/core/telemetry/metric-store.js';
export type { DaemonStatusReport as StatusReport } from '../../../main/core/daemon/api-types.js';
import type { ObjectMeta } from '../../../main/core/model/object.js';
import type { RuntimeStatus } from '../../../main/core/runtime.js';

export interface ProfileSummary {
  name: string;
  description?: string;
  runtime: string;
  source: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
}

export interface KubeList {
  items: KubeObject[];
}

import type { WorkspaceError } from '../../../main/core/workspace/types.js';
export type { WorkspaceError };

/**
 * The daemon's DevFolderState (main/core/daemon/dev-sessions.ts), repeated: that module imports workspace and
 * embedded code that does not compile under the DOM lib, so it cannot be imported here even for its types.
 */
export interface DevFolderState {
  dir: string;
  root: string;
  function?: { namespace: string; name: string };
  contentHash?: string;
  errors: WorkspaceError[];
  lastAppliedAt?: string;
}

export type UpDownLine =
  | { type: 'progress'; component: string; state: string; message?: string }
  | { type: 'result'; ok: boolean; error?: string; status?: RuntimeStatus };

import type { DesktopBridge } from '../../../main/electron/bridge-types.js';
export type { DesktopBridge };

declare global {
  interface Window {
    kymaLocal?: DesktopBridge;
  }
}

export type { AppMap, AppMapNode, AppMapEdge, AppMapFigures, AppMapHealth, AppMapLinks } from '../../../main/core/daemon/api-types.js';
