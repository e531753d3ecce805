// The daemon's wire types come from main/core/api (the one contract every client shares); nothing is repeated here.
export type {
  RuntimeStatus,
  ComponentStatus,
  ComponentState,
  ProgressEvent,
  ProgressLine,
  EventRecord,
  AttemptRecord,
  EventWithAttempts,
  InspectorEntry,
  SubscriptionRef,
  FunctionDetails,
  FunctionWithRevisions,
  EventOutcome,
  KubeStatus,
  RevisionRecord,
  RevisionError,
  WorkerInfo,
  SpanView,
  TraceSummary,
  TraceDetail,
  LogEntry,
  LogLevelName,
  MetricSeries,
  MetricPoint,
  HistogramValue,
  DaemonStatusReport as StatusReport,
  ProfileSummary,
  KubeObject,
  KubeList,
  WorkspaceError,
  DevFolderState,
  ApiRuleView,
  TryAnswer,
  ApplicationsResponse,
  ApplicationView,
  ApplicationEntryView,
  GatewayCallView,
  GatewayCallResponse,
  ServiceSpecResponse,
} from '../../../main/core/api/index.js';

import type { DesktopBridge } from '../../../main/electron/bridge-types.js';
export type { DesktopBridge };

declare global {
  interface Window {
    kymaLocal?: DesktopBridge;
  }
}
