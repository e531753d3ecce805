import type { ResourceType } from '../../model/index.js';

/**
 * Legacy (unaggregated) discovery documents. kubectl 1.32 first asks for aggregated discovery
 * (`as=APIGroupDiscoveryList`); answering `application/json` with these types makes it fall back to them.
 */
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

export function coreVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** Versions served in a group, in the order of the first type listing them (the first is preferred). */
export function groupVersions(types: ResourceType[], group: string): string[] {
  const out: string[] = [];
  for (const t of types) {
    if (t.group !== group) continue;
    for (const v of t.versions) if (!out.includes(v)) out.push(v);
  }
  return out;
}

function groupNames(types: ResourceType[]): string[] {
  return [...new Set(types.map((t) => t.group).filter((g) => g !== ''))];
}

export function apiGroup(types: ResourceType[], group: string): unknown {
  const versions = groupVersions(types, group).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(types: ResourceType[]): unknown {
  const groups = groupNames(types).map((g) => {
    const { kind: _k, apiVersion: _a, ...rest } = apiGroup(types, g) as Record<string, unknown>;
    return rest;
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiResourceList(types: ResourceType[], group: string, version: string): unknown {
  const resources: unknown[] = [];
  for (const t of types) {
    if (t.group !== group || !t.versions.includes(version)) continue;
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
      ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length > 0 ? { categories: t.categories } : {}),
    });
    if (t.hasStatus) {
      resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: STATUS_VERBS });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** A version.Info as `kubectl version` prints it. */
export function versionInfo(appVersion: string | undefined): unknown {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;
  return {
    major: '1',
    minor: '32',
    // Semver build metadata keeps kubectl's version-skew parser happy while naming the Kyma Local release.
    gitVersion: `v1.32.0-kyma-local${appVersion ? `+${appVersion}` : ''}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '',
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform,
  };
}
