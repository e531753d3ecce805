// The gateway's calls: APIRules as served, the local issuer, tokens, try-it and the access log (paths from core/api).
import { apiPath, type ApiRuleView, type IssuerInfo, type LogEntry, type MintedToken, type TryAnswer, type TryRequest } from '../../../main/core/api/index.js';
import { api } from './client.js';

export interface GatewayView {
  url: string;
  items: ApiRuleView[];
}

export const loadApiRules = (signal: AbortSignal): Promise<GatewayView> => api<GatewayView>(apiPath('gatewayApiRules'), { signal });
export const loadIssuer = (signal: AbortSignal): Promise<IssuerInfo> => api<IssuerInfo>(apiPath('gatewayIssuer'), { signal });

export function mintToken(scopes: string[], audience?: string): Promise<MintedToken> {
  return api<MintedToken>(apiPath('gatewayToken'), { method: 'POST', body: { scopes, ...(audience ? { audience } : {}) } });
}

export function tryRule(namespace: string, name: string, req: TryRequest): Promise<TryAnswer> {
  return api<TryAnswer>(apiPath('gatewayTry', { namespace, name }), { method: 'POST', body: req });
}

/** The gateway's access log (newest last), optionally for one APIRule. */
export async function loadAccessLog(signal: AbortSignal, apirule?: string): Promise<LogEntry[]> {
  const { items } = await api<{ items: LogEntry[] }>(apiPath('logs', {}, { function: 'kyma-local/gateway', limit: 200 }), { signal });
  return apirule ? items.filter((l) => l.attributes.apirule === apirule) : items;
}
