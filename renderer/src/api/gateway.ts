import { api } from './client.js';
import type { ApiRuleView, IssuerInfo, LogEntry, MintedToken, TryAnswer } from './types.js';

export interface GatewayView {
  url: string;
  items: ApiRuleView[];
}

export const loadApiRules = (signal: AbortSignal): Promise<GatewayView> => api<GatewayView>('/kl/v1/gateway/apirules', { signal });
export const loadIssuer = (signal: AbortSignal): Promise<IssuerInfo> => api<IssuerInfo>('/kl/v1/gateway/issuer', { signal });

export function mintToken(scopes: string[], audience?: string): Promise<MintedToken> {
  return api<MintedToken>('/kl/v1/gateway/token', { method: 'POST', body: { scopes, ...(audience ? { audience } : {}) } });
}

export function tryRule(namespace: string, name: string, req: { method: string; path: string; body?: string; token?: string }): Promise<TryAnswer> {
  return api<TryAnswer>(`/kl/v1/gateway/apirules/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/try`, { method: 'POST', body: req });
}

/** The gateway's access log (newest last), optionally for one APIRule. */
export async function loadAccessLog(signal: AbortSignal, apirule?: string): Promise<LogEntry[]> {
  const { items } = await api<{ items: LogEntry[] }>('/kl/v1/logs?function=kyma-local%2Fgateway&limit=200', { signal });
  return apirule ? items.filter((l) => l.attributes.apirule === apirule) : items;
}
