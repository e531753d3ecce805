import { SECRET, type KubeObject } from '../../model/index.js';
import type { Store } from '../../store/index.js';

/** Where Application credential Secrets live, as upstream's applicationSecretsNamespace (kyma-system). */
export const APP_SECRETS_NAMESPACE = 'kyma-system';

/** A Secret's values, decoded (data is base64; stringData, if the store kept it, is plain). */
export function secretValues(s: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = v;
  return out;
}

export function readSecret(store: Store, name: string): Record<string, string> | undefined {
  const s = store.find(SECRET, APP_SECRETS_NAMESPACE, name);
  return s ? secretValues(s) : undefined;
}

/** The keys each credential type needs in its Secret (upstream's secret layout). */
export const REQUIRED_KEYS: Record<string, readonly string[]> = {
  Basic: ['username', 'password'],
  OAuth: ['clientId', 'clientSecret'],
  OAuthWithCert: ['clientId', 'crt', 'key'],
  CertificateGen: ['crt', 'key'],
};

export type MultiMap = Record<string, string[]>;

/** Parses a request-parameters value (`{"k":["v"]}`); a plain string value is taken as one value. */
export function parseMultiMap(raw: string | undefined): MultiMap {
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('must be a JSON object like {"name":["value"]}');
  const out: MultiMap = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v)) out[k] = v.map(String);
    else if (typeof v === 'string') out[k] = [v];
    else throw new Error(`${k} must be a list of strings`);
  }
  return out;
}

export interface RequestParameters {
  headers: MultiMap;
  queryParameters: MultiMap;
}

/** The request-parameters Secret of an entry; throws with the reason when it is missing or malformed. */
export function readRequestParameters(store: Store, name: string): RequestParameters {
  const v = readSecret(store, name);
  if (!v) throw new Error(`request parameters Secret ${APP_SECRETS_NAMESPACE}/${name} not found`);
  try {
    return { headers: parseMultiMap(v.headers), queryParameters: parseMultiMap(v.queryParameters) };
  } catch (err) {
    throw new Error(`request parameters Secret ${APP_SECRETS_NAMESPACE}/${name}: ${(err as Error).message}`);
  }
}
