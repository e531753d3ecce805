import { apiPath } from '../../../main/core/api/index.js';
import { api } from './client.js';
import type { ApplicationsResponse, GatewayCallResponse, ServiceSpecResponse } from './types.js';

export function loadApplications(signal: AbortSignal): Promise<ApplicationsResponse> {
  return api<ApplicationsResponse>(apiPath('applications'), { signal });
}

export function loadSpec(app: string, service: string, refresh = false): Promise<ServiceSpecResponse> {
  return api<ServiceSpecResponse>(apiPath('applicationSpec', { app, service }, { refresh: refresh ? 'true' : undefined }));
}

export function callThroughGateway(app: string, body: { service: string; method: string; path: string; body?: string; headers?: Record<string, string> }): Promise<GatewayCallResponse> {
  return api<GatewayCallResponse>(apiPath('applicationCall', { app }), { method: 'POST', body });
}

export interface Operation {
  method: string;
  path: string;
  summary?: string;
  operationId?: string;
  params: string[];
}

/** The operations of an OpenAPI document (or the channels of an AsyncAPI one), for the catalog view. */
export function operationsOf(spec: unknown): { kind: 'openapi' | 'asyncapi' | 'unknown'; title?: string; operations: Operation[]; schemas: string[] } {
  if (typeof spec !== 'object' || spec === null) return { kind: 'unknown', operations: [], schemas: [] };
  const s = spec as { openapi?: string; swagger?: string; asyncapi?: string; info?: { title?: string }; paths?: Record<string, Record<string, unknown>>; channels?: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, unknown> }; definitions?: Record<string, unknown> };
  const schemas = Object.keys(s.components?.schemas ?? s.definitions ?? {});
  const title = s.info?.title;
  if (s.asyncapi) {
    const ops = Object.entries(s.channels ?? {}).flatMap(([ch, item]) =>
      ['publish', 'subscribe'].filter((m) => m in item).map((m) => ({ method: m.toUpperCase(), path: ch, ...(summaryOf(item[m]) ? { summary: summaryOf(item[m])! } : {}), params: [] })),
    );
    return { kind: 'asyncapi', ...(title ? { title } : {}), operations: ops, schemas };
  }
  const ops: Operation[] = [];
  for (const [p, item] of Object.entries(s.paths ?? {})) {
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[m] as { summary?: string; operationId?: string; parameters?: Array<{ name?: string; in?: string }> } | undefined;
      if (!op) continue;
      ops.push({ method: m.toUpperCase(), path: p, ...(op.summary ? { summary: op.summary } : {}), ...(op.operationId ? { operationId: op.operationId } : {}), params: (op.parameters ?? []).map((x) => `${x.name ?? '?'} (${x.in ?? '?'})`) });
    }
  }
  return { kind: s.openapi || s.swagger ? 'openapi' : 'unknown', ...(title ? { title } : {}), operations: ops, schemas };
}

function summaryOf(v: unknown): string | undefined {
  return typeof v === 'object' && v !== null && typeof (v as { summary?: unknown }).summary === 'string' ? (v as { summary: string }).summary : undefined;
}
