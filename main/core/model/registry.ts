import { APIRULE } from './apirule-type.js';
import { APPLICATION } from './application-type.js';
import { CONFIGMAP, NAMESPACE, SECRET } from './core-types.js';
import { FUNCTION } from './function-type.js';
import type { ResourceType } from './resource-type.js';
import { SERVICE_BINDING, SERVICE_BROKER, SERVICE_INSTANCE } from './service-types.js';
import { badRequest, type ApiError } from './errors.js';
import { SUBSCRIPTION } from './subscription-type.js';

export const RESOURCE_TYPES: ResourceType[] = [FUNCTION, SUBSCRIPTION, APIRULE, APPLICATION, SECRET, CONFIGMAP, NAMESPACE, SERVICE_INSTANCE, SERVICE_BINDING, SERVICE_BROKER];

/** Splits `group/version` (or `v1` for the core group) into its parts. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function findTypeByKind(apiVersion: string, kind: string, types: readonly ResourceType[] = RESOURCE_TYPES): ResourceType | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  return types.find((t) => t.group === group && t.kind === kind && t.versions.includes(version));
}

/** The one answer to an object of a kind the API does not serve, listing the kinds it does (kubectl's wording). */
export function unknownKind(apiVersion: string, kind: string, types: readonly ResourceType[] = RESOURCE_TYPES): ApiError {
  const served = types.map((t) => `${t.kind} (${t.group ? `${t.group}/` : ''}${t.versions.join('|')})`).join(', ');
  return badRequest(`no matches for kind "${kind}" in version "${apiVersion}" — supported: ${served}`);
}

function names(t: ResourceType): string[] {
  return [t.plural, t.singular, t.kind.toLowerCase(), ...t.shortNames];
}

/** `resource` is normally the plural; singular, short names and the lower-case kind are accepted for CLI use. */
export function findTypeByResource(group: string, version: string, resource: string, types: readonly ResourceType[] = RESOURCE_TYPES): ResourceType | undefined {
  const r = resource.toLowerCase();
  return types.find((t) => t.group === group && t.versions.includes(version) && names(t).includes(r));
}

/**
 * Resolves a CLI word the way kubectl does: `fn`, `functions`, `function`, `functions.serverless.kyma-project.io`,
 * `functions.v1alpha2.serverless.kyma-project.io`, `secret`, `cm`. A bare name prefers core kinds on clashes.
 */
export function resolveTypeName(name: string, types: readonly ResourceType[] = RESOURCE_TYPES): ResourceType | undefined {
  const n = name.toLowerCase();
  const dot = n.indexOf('.');
  if (dot < 0) {
    const matches = types.filter((t) => names(t).includes(n));
    return matches.find((t) => t.group === '') ?? matches[0];
  }
  const word = n.slice(0, dot);
  const rest = n.slice(dot + 1);
  const byGroup = types.find((t) => t.group === rest && names(t).includes(word));
  if (byGroup) return byGroup;
  const vdot = rest.indexOf('.');
  if (vdot < 0) return undefined;
  const version = rest.slice(0, vdot);
  const group = rest.slice(vdot + 1);
  return types.find((t) => t.group === group && t.versions.includes(version) && names(t).includes(word));
}
