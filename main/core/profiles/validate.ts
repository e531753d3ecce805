import path from 'node:path';
import type { Node, YAMLMap } from 'yaml';
import { DEFAULT_EVENTING, DEFAULT_KIND_CLUSTER_NAME, DEFAULT_LIMITS, DEFAULT_OIDC, DEFAULT_PORTS, DEFAULT_RETENTION, DEFAULT_TELEMETRY } from './defaults.js';
import { didYouMean } from './profile-error.js';
import {
  MODULE_NAMES,
  type EventingSettings,
  type KindPortMapping,
  type KindSettings,
  type OidcClient,
  type OidcSettings,
  type OidcUser,
  type KubernetesSettings,
  type ModuleName,
  type Profile,
  type ProfileLimits,
  type ProfilePorts,
  type ProfileRetention,
  type TelemetrySettings,
} from './profile.js';
import { join, YamlReader } from './yaml-reader.js';

export const PROFILE_API_VERSION = 'kyma-local.io/v1alpha1';
export const PROFILE_KIND = 'ClusterProfile';
const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Map = YAMLMap<unknown, unknown>;

/** Parses and validates one profile document; throws ProfileError pointing at the first problem. */
export function parseProfile(text: string, file: string): Profile {
  const r = new YamlReader(file, text);
  const root = r.map(r.root, '');
  r.checkKeys(root, '', ['apiVersion', 'kind', 'metadata', 'spec']);
  const apiVersion = required(r, root, '', 'apiVersion');
  if (r.string(apiVersion, 'apiVersion') !== PROFILE_API_VERSION) {
    r.fail(apiVersion, 'apiVersion', `must be "${PROFILE_API_VERSION}"`);
  }
  const kind = required(r, root, '', 'kind');
  if (r.string(kind, 'kind') !== PROFILE_KIND) r.fail(kind, 'kind', `must be "${PROFILE_KIND}"`);

  const meta = r.map(required(r, root, '', 'metadata'), 'metadata');
  r.checkKeys(meta, 'metadata', ['name', 'description']);
  const nameNode = required(r, meta, 'metadata', 'name');
  const name = r.string(nameNode, 'metadata.name');
  if (!NAME_RE.test(name) || name.length > 63) {
    r.fail(nameNode, 'metadata.name', 'must be lowercase letters, digits and "-" (at most 63), starting and ending with a letter or digit');
  }
  const descNode = r.child(meta, 'description');
  const description = r.present(descNode) ? r.string(descNode, 'metadata.description') : '';

  const specNode = r.child(root, 'spec');
  const spec = r.present(specNode) ? r.map(specNode, 'spec') : undefined;
  const profile: Profile = {
    name,
    description,
    source: path.resolve(file),
    runtime: 'embedded',
    modules: [...MODULE_NAMES],
    ports: { ...DEFAULT_PORTS },
    limits: { ...DEFAULT_LIMITS },
    retention: { ...DEFAULT_RETENTION },
    eventing: { ...DEFAULT_EVENTING },
    telemetry: { ...DEFAULT_TELEMETRY, browserOrigins: [] },
  };
  if (spec) readSpec(r, spec, profile);
  return profile;
}

function readSpec(r: YamlReader, spec: Map, p: Profile): void {
  r.checkKeys(spec, 'spec', ['runtime', 'modules', 'ports', 'limits', 'retention', 'eventing', 'telemetry', 'natsServer', 'kind', 'oidc', 'kubernetes']);
  const runtime = r.child(spec, 'runtime');
  if (r.present(runtime)) {
    const v = r.string(runtime, 'spec.runtime');
    if (v !== 'embedded' && v !== 'kind' && v !== 'kubernetes') r.fail(runtime, 'spec.runtime', `unknown runtime "${v}" — valid: embedded, kind, kubernetes`);
    p.runtime = v;
  }
  const modules = r.child(spec, 'modules');
  if (r.present(modules)) p.modules = readModules(r, modules);
  const ports = r.child(spec, 'ports');
  if (r.present(ports)) p.ports = readPorts(r, r.map(ports, 'spec.ports'));
  const limits = r.child(spec, 'limits');
  if (r.present(limits)) p.limits = readLimits(r, r.map(limits, 'spec.limits'));
  const retention = r.child(spec, 'retention');
  if (r.present(retention)) p.retention = readRetention(r, r.map(retention, 'spec.retention'));
  const eventing = r.child(spec, 'eventing');
  if (r.present(eventing)) p.eventing = readEventing(r, r.map(eventing, 'spec.eventing'));
  const telemetry = r.child(spec, 'telemetry');
  if (r.present(telemetry)) p.telemetry = readTelemetry(r, r.map(telemetry, 'spec.telemetry'));
  const nats = r.child(spec, 'natsServer');
  if (r.present(nats)) p.natsServer = resolveFrom(p.source, r.string(nats, 'spec.natsServer'));
  const oidc = r.child(spec, 'oidc');
  if (r.present(oidc)) p.oidc = readOidc(r, r.map(oidc, 'spec.oidc'));
  const kind = r.child(spec, 'kind');
  if (r.present(kind)) p.kind = readKind(r, r.map(kind, 'spec.kind'), p.source);
  else if (p.runtime === 'kind') {
    r.fail(runtime ?? spec, 'spec.kind', 'runtime "kind" needs a kind section (nodeImage, optional clusterName and portMappings)');
  }
  const kube = r.child(spec, 'kubernetes');
  if (r.present(kube)) p.kubernetes = readKubernetes(r, r.map(kube, 'spec.kubernetes'), p.source);
  else if (p.runtime === 'kubernetes') p.kubernetes = {};
}

/** An existing cluster: kubeconfig file (relative to the profile; default $KUBECONFIG, ~/.kube/config) and context. */
function readKubernetes(r: YamlReader, map: Map, source: string): KubernetesSettings {
  r.checkKeys(map, 'spec.kubernetes', ['kubeconfig', 'context']);
  const out: KubernetesSettings = {};
  const file = r.child(map, 'kubeconfig');
  if (r.present(file)) out.kubeconfig = path.resolve(path.dirname(source), r.string(file, 'spec.kubernetes.kubeconfig'));
  const ctx = r.child(map, 'context');
  if (r.present(ctx)) out.context = r.string(ctx, 'spec.kubernetes.context');
  return out;
}

function readModules(r: YamlReader, node: Node): ModuleName[] {
  const seq = r.seq(node, 'spec.modules');
  const out: ModuleName[] = [];
  seq.items.forEach((item, i) => {
    const field = join('spec.modules', i);
    const v = r.string(item as Node, field);
    const known = (MODULE_NAMES as readonly string[]).includes(v);
    if (!known) {
      const guess = didYouMean(v, MODULE_NAMES);
      r.fail(item as Node, field, `unknown module "${v}"${guess ? ` (did you mean "${guess}"?)` : ''} — valid: ${MODULE_NAMES.join(', ')}`);
    }
    if (out.includes(v as ModuleName)) r.fail(item as Node, field, `module "${v}" is listed twice — remove one`);
    out.push(v as ModuleName);
  });
  return out;
}

function readPorts(r: YamlReader, map: Map): ProfilePorts {
  const keys = [...Object.keys(DEFAULT_PORTS), 'natsMonitor'] as Array<keyof ProfilePorts>;
  r.checkKeys(map, 'spec.ports', keys);
  const out = { ...DEFAULT_PORTS };
  const seen = new globalThis.Map<number, string>();
  for (const k of keys) {
    const node = r.child(map, k);
    if (!r.present(node)) continue;
    const field = `spec.ports.${k}`;
    const port = r.int(node, field, 0, 65535, ' (0 = any free port)');
    out[k] = port;
    const other = seen.get(port);
    if (port !== 0 && other) r.fail(node, field, `port ${port} is also used by ports.${other} — pick another or use 0 (any free port)`);
    seen.set(port, k);
  }
  return out;
}

function readLimits(r: YamlReader, map: Map): ProfileLimits {
  r.checkKeys(map, 'spec.limits', Object.keys(DEFAULT_LIMITS));
  const out = { ...DEFAULT_LIMITS };
  const n = (k: keyof ProfileLimits, max: number): void => {
    const node = r.child(map, k);
    if (r.present(node)) out[k] = r.int(node, `spec.limits.${k}`, 1, max);
  };
  n('maxReplicas', 1000);
  n('requestBodyMb', 1024);
  const bytes = r.child(map, 'eventStreamMaxBytes');
  if (r.present(bytes)) out.eventStreamMaxBytes = readSize(r, bytes, 'spec.limits.eventStreamMaxBytes');
  return out;
}

const UNITS: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1000, M: 1000 ** 2, G: 1000 ** 3 };

/** A byte count as an integer or a Kubernetes quantity such as `64Mi`. */
function readSize(r: YamlReader, node: Node, field: string): number {
  const raw = (node as { value?: unknown }).value;
  if (typeof raw === 'number') return r.int(node, field, 1, Number.MAX_SAFE_INTEGER);
  const m = typeof raw === 'string' ? /^(\d+)(Ki|Mi|Gi|K|M|G)?$/.exec(raw.trim()) : null;
  if (!m || Number(m[1]) <= 0) r.fail(node, field, `expected a positive size such as 67108864 or "64Mi", got ${JSON.stringify(raw)}`);
  return Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1);
}

function readRetention(r: YamlReader, map: Map): ProfileRetention {
  r.checkKeys(map, 'spec.retention', Object.keys(DEFAULT_RETENTION));
  const out = { ...DEFAULT_RETENTION };
  for (const k of ['traces', 'logs', 'metricPoints', 'events'] as const) {
    const node = r.child(map, k);
    if (r.present(node)) out[k] = r.int(node, `spec.retention.${k}`, 1, 100_000_000);
  }
  for (const k of ['eventBytes', 'logBytes', 'spanBytes'] as const) {
    const node = r.child(map, k);
    if (!r.present(node)) continue;
    out[k] = readSize(r, node, `spec.retention.${k}`);
    if (out[k] < 1024 * 1024) r.fail(node, `spec.retention.${k}`, `must be at least 1Mi (got ${out[k]} bytes) — a smaller budget would drop records as soon as they arrive`);
  }
  const keep = r.child(map, 'keepStateOnDown');
  if (r.present(keep)) out.keepStateOnDown = r.bool(keep, 'spec.retention.keepStateOnDown');
  return out;
}

function readEventing(r: YamlReader, map: Map): EventingSettings {
  r.checkKeys(map, 'spec.eventing', Object.keys(DEFAULT_EVENTING));
  const out = { ...DEFAULT_EVENTING };
  for (const k of Object.keys(DEFAULT_EVENTING) as Array<keyof EventingSettings>) {
    const node = r.child(map, k);
    if (r.present(node)) out[k] = r.int(node, `spec.eventing.${k}`, 1, k === 'maxDeliver' ? 1_000_000 : 86_400_000);
  }
  if (out.retryMaxMs < out.retryInitialMs) {
    r.fail(r.child(map, 'retryMaxMs') ?? map, 'spec.eventing.retryMaxMs', `must be at least retryInitialMs (${out.retryInitialMs})`);
  }
  return out;
}

function readTelemetry(r: YamlReader, map: Map): TelemetrySettings {
  r.checkKeys(map, 'spec.telemetry', Object.keys(DEFAULT_TELEMETRY));
  const out: TelemetrySettings = { browserOrigins: [] };
  const node = r.child(map, 'browserOrigins');
  if (!r.present(node)) return out;
  r.seq(node, 'spec.telemetry.browserOrigins').items.forEach((item, i) => {
    const field = join('spec.telemetry.browserOrigins', i);
    const v = r.string(item as Node, field);
    if (v === '*') {
      out.browserOrigins.push(v);
      return;
    }
    let ok = false;
    try {
      const u = new URL(v);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === v.replace(/\/$/, '');
    } catch {
      ok = false;
    }
    if (!ok) r.fail(item as Node, field, `"${v}" is not an origin — write scheme, host and optional port, e.g. "http://my-app.localhost:3000", or "*" for any`);
    out.browserOrigins.push(v.replace(/\/$/, ''));
  });
  return out;
}

function strings(r: YamlReader, map: Map, key: string, field: string): string[] {
  const node = r.child(map, key);
  if (!r.present(node)) return [];
  return r.seq(node, join(field, key)).items.map((item, i) => r.string(item as Node, join(join(field, key), i)));
}

function readOidcClient(r: YamlReader, node: Node, field: string): OidcClient {
  const m = r.map(node, field);
  r.checkKeys(m, field, ['id', 'secret', 'scopes', 'audience']);
  const audience = r.child(m, 'audience');
  return {
    id: r.string(required(r, m, field, 'id'), `${field}.id`),
    secret: r.string(required(r, m, field, 'secret'), `${field}.secret`),
    scopes: strings(r, m, 'scopes', field),
    ...(r.present(audience) ? { audience: r.string(audience, `${field}.audience`) } : {}),
  };
}

function readOidcUser(r: YamlReader, node: Node, field: string): OidcUser {
  const m = r.map(node, field);
  r.checkKeys(m, field, ['name', 'password', 'email', 'scopes']);
  const email = r.child(m, 'email');
  return {
    name: r.string(required(r, m, field, 'name'), `${field}.name`),
    password: r.string(required(r, m, field, 'password'), `${field}.password`),
    scopes: strings(r, m, 'scopes', field),
    ...(r.present(email) ? { email: r.string(email, `${field}.email`) } : {}),
  };
}

/** spec.oidc: listed clients/users replace the demo ones (the first client is the one `kyma-local token` uses). */
function readOidc(r: YamlReader, map: Map): OidcSettings {
  r.checkKeys(map, 'spec.oidc', ['clients', 'users', 'tokenTtlSeconds', 'keyGraceSeconds']);
  const out: OidcSettings = { ...DEFAULT_OIDC };
  const clients = r.child(map, 'clients');
  if (r.present(clients)) {
    const seq = r.seq(clients, 'spec.oidc.clients');
    out.clients = seq.items.map((item, i) => readOidcClient(r, item as Node, join('spec.oidc.clients', i)));
    if (out.clients.length === 0) r.fail(clients, 'spec.oidc.clients', 'needs at least one client (or leave it out for the demo client)');
  }
  const users = r.child(map, 'users');
  if (r.present(users)) out.users = r.seq(users, 'spec.oidc.users').items.map((item, i) => readOidcUser(r, item as Node, join('spec.oidc.users', i)));
  const ttl = r.child(map, 'tokenTtlSeconds');
  if (r.present(ttl)) out.tokenTtlSeconds = r.int(ttl, 'spec.oidc.tokenTtlSeconds', 1, 31_536_000);
  const grace = r.child(map, 'keyGraceSeconds');
  if (r.present(grace)) out.keyGraceSeconds = r.int(grace, 'spec.oidc.keyGraceSeconds', 0, 31_536_000);
  return out;
}

function readKind(r: YamlReader, map: Map, source: string): KindSettings {
  r.checkKeys(map, 'spec.kind', ['clusterName', 'nodeImage', 'portMappings', 'imageArchives', 'extraImages', 'registryImage']);
  const nameNode = r.child(map, 'clusterName');
  const clusterName = r.present(nameNode) ? r.string(nameNode, 'spec.kind.clusterName') : DEFAULT_KIND_CLUSTER_NAME;
  if (nameNode && !NAME_RE.test(clusterName)) r.fail(nameNode, 'spec.kind.clusterName', 'must be lowercase letters, digits and "-"');
  const nodeImage = r.string(required(r, map, 'spec.kind', 'nodeImage'), 'spec.kind.nodeImage');
  const out: KindSettings = { clusterName, nodeImage, portMappings: [], extraImages: [] };
  const pm = r.child(map, 'portMappings');
  if (r.present(pm)) {
    r.seq(pm, 'spec.kind.portMappings').items.forEach((item, i) => {
      out.portMappings.push(readPortMapping(r, item as Node, join('spec.kind.portMappings', i)));
    });
  }
  const archives = r.child(map, 'imageArchives');
  if (r.present(archives)) out.imageArchives = resolveFrom(source, r.string(archives, 'spec.kind.imageArchives'));
  const extra = r.child(map, 'extraImages');
  if (r.present(extra)) {
    r.seq(extra, 'spec.kind.extraImages').items.forEach((item, i) => {
      out.extraImages.push(imageRef(r, item as Node, join('spec.kind.extraImages', i)));
    });
  }
  const registryImage = r.child(map, 'registryImage');
  if (r.present(registryImage)) out.registryImage = imageRef(r, registryImage, 'spec.kind.registryImage');
  return out;
}

/** An image reference as Docker spells it (`[host[:port]/]path[:tag]`, lowercase repository; no digest, see below). */
function imageRef(r: YamlReader, node: Node, field: string): string {
  const v = r.string(node, field);
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/.test(v)) {
    if (v.includes('@')) r.fail(node, field, `"${v}" is pinned by digest — use a tag: docker save and load keep tags but not digests, so a digest reference would be missing after \`kyma-local images load\``);
    r.fail(node, field, `"${v}" is not an image reference — write it as docker pull takes it, e.g. docker.io/library/postgres:16 (lowercase, no spaces)`);
  }
  return v;
}

function readPortMapping(r: YamlReader, node: Node, field: string): KindPortMapping {
  const map = r.map(node, field);
  r.checkKeys(map, field, ['containerPort', 'hostPort', 'protocol', 'listenAddress']);
  const containerPort = r.int(required(r, map, field, 'containerPort'), `${field}.containerPort`, 1, 65535);
  const hostPort = r.int(required(r, map, field, 'hostPort'), `${field}.hostPort`, 1, 65535);
  const out: KindPortMapping = { containerPort, hostPort, protocol: 'TCP' };
  const proto = r.child(map, 'protocol');
  if (r.present(proto)) {
    const v = r.string(proto, `${field}.protocol`);
    if (v !== 'TCP' && v !== 'UDP' && v !== 'SCTP') r.fail(proto, `${field}.protocol`, `unknown protocol "${v}" — valid: TCP, UDP, SCTP`);
    out.protocol = v;
  }
  const listen = r.child(map, 'listenAddress');
  if (r.present(listen)) out.listenAddress = r.string(listen, `${field}.listenAddress`);
  return out;
}

function required(r: YamlReader, map: Map, parent: string, key: string): Node {
  const node = r.child(map, key);
  if (!r.present(node)) r.fail(map, join(parent, key), `required field "${key}" is missing`);
  return node;
}

/** Relative paths in a profile are relative to the profile file, like includes in most config formats. */
function resolveFrom(source: string, p: string): string {
  if (path.isAbsolute(p) || !p.includes('/')) return p;
  return path.resolve(path.dirname(source), p);
}
