// Every call the dashboard makes to the daemon's own API, typed by main/core/api (paths from its route table).
// Pages and components call these; none of them spells a /kl/v1 path.
import { apiPath } from '../../../main/core/api/index.js';
import { api } from './client.js';
import type {
  DaemonStatusReport,
  DebugInfo,
  DevFolderState,
  EventRecord,
  EventWithAttempts,
  FunctionDetails,
  FunctionWithRevisions,
  Items,
  LogEntry,
  MetricSeries,
  ProfileSummary,
  RevisionRecord,
  TraceDetail,
  TraceSummary,
} from '../../../main/core/api/index.js';

type Opts = { signal?: AbortSignal };
type Query = Record<string, string | number | undefined>;

export const getStatus = (o: Opts = {}) => api<DaemonStatusReport>(apiPath('status'), o);
export const listProfiles = (o: Opts = {}) => api<Items<ProfileSummary>>(apiPath('profiles'), o);

export const listFunctions = (o: Opts = {}) => api<Items<FunctionDetails>>(apiPath('functions'), o);
export const getFunction = (namespace: string, name: string, o: Opts = {}) => api<FunctionWithRevisions>(apiPath('function', { namespace, name }), o);
export const listRevisions = (namespace: string, name: string, o: Opts = {}) => api<Items<RevisionRecord>>(apiPath('functionRevisions', { namespace, name }), o);
export const rollback = (namespace: string, name: string, to: number) => api<RevisionRecord>(apiPath('functionRollback', { namespace, name }), { method: 'POST', body: { to } });
/** The invoke path of a function (rest = the path after the function's root, with its query). */
export const getDebug = (namespace: string, name: string, o: Opts = {}) => api<DebugInfo>(apiPath('functionDebug', { namespace, name }), o);
export const startDebug = (namespace: string, name: string, body: { port: number; break: boolean }) => api<DebugInfo>(apiPath('functionDebug', { namespace, name }), { method: 'POST', body });
export const stopDebug = (namespace: string, name: string) => api<{ stopped: boolean }>(apiPath('functionDebug', { namespace, name }), { method: 'DELETE' });
export const invokePath = (namespace: string, name: string, rest: string) => apiPath('functionInvoke', { namespace, name }, undefined, rest);

export const listDevFolders = (o: Opts = {}) => api<Items<DevFolderState>>(apiPath('dev'), o);
export const addDevFolders = (dirs: string[]) => api<Items<DevFolderState>>(apiPath('dev'), { method: 'POST', body: { dirs } });
export const removeDevFolders = (dirs: string[]) => api<Items<DevFolderState>>(apiPath('devRemove'), { method: 'POST', body: { dirs } });

export const listEvents = (query: Query, o: Opts = {}) => api<Items<EventRecord>>(apiPath('events', {}, query), o);
export const getEvent = (id: string, o: Opts = {}) => api<EventWithAttempts>(apiPath('event', { id }), o);
export const publishEvent = (body: { type: string; source: string; data?: unknown }) => api<{ id: string }>(apiPath('eventsPublish'), { method: 'POST', body });
export const replayEvent = (id: string, body: { data?: unknown; subscription?: string }) => api<{ id: string }>(apiPath('eventReplay', { id }), { method: 'POST', body });
export const EVENTS_STREAM = apiPath('eventsStream');

export const listTraces = (query: Query | URLSearchParams, o: Opts = {}) => api<Items<TraceSummary>>(apiPath('traces', {}, query), o);
export const getTrace = (traceId: string, o: Opts = {}) => api<TraceDetail>(apiPath('trace', { traceId }), o);
export const listLogs = (query: Query, o: Opts = {}) => api<Items<LogEntry>>(apiPath('logs', {}, query), o);
export const LOGS_STREAM = apiPath('telemetryStream', {}, { kinds: 'logs' });
export const listMetrics = (o: Opts = {}) => api<Items<MetricSeries>>(apiPath('metrics'), o);

/** The NDJSON path that brings the cluster up or down (ProgressLine per line). */
export const clusterPath = (action: 'up' | 'down') => apiPath(action);
