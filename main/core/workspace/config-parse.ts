import { LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { parseApiRules } from './config-apirules.js';
import { parseEnv } from './config-env.js';
import { parseSubscriptions } from './config-events.js';
import { dns1123LabelProblem } from './names.js';
import { SUPPORTED_RUNTIMES, type FunctionConfig, type ResourcesConfig, type SupportedRuntime, type WorkspaceError } from './types.js';
import { childField, NodeChecker } from './yaml-nodes.js';

/**
 * Top-level keys of a Kyma CLI v2 config.yaml (hydroform `workspace.Cfg`). `resource` is hydroform's own yaml
 * tag, `resources` what the Kyma docs show, `runtimeResources` a later spelling; all three mean the same.
 * `replicas` is a kyma-local extension mapped to `spec.replicas` (hydroform has no such key).
 */
const TOP_LEVEL = [
  'schemaVersion', 'name', 'namespace', 'runtime', 'labels', 'source', 'resources', 'resource',
  'runtimeResources', 'replicas', 'env', 'subscriptions', 'apiRules',
] as const;
const RESOURCE_KEYS = ['resources', 'resource', 'runtimeResources'] as const;
const PROFILES = ['XS', 'S', 'M', 'L', 'XL'];
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export type ConfigParseResult = { ok: true; config: FunctionConfig } | { ok: false; errors: WorkspaceError[] };

export function parseFunctionConfig(text: string, file: string): ConfigParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = lineCounter.linePos(e.pos[0]);
        return { file, line: at.line, column: at.col, message: `YAML syntax error: ${e.message.split('\n')[0]} (line ${at.line}, column ${at.col})` };
      }),
    };
  }
  const c = new NodeChecker(file, lineCounter);
  const root = c.map(doc.contents, 'config.yaml', 'a mapping with at least name and runtime');
  if (!root) return { ok: false, errors: c.errors };
  const config = readRoot(c, root);
  if (c.errors.length > 0 || !config) return { ok: false, errors: c.errors };
  return { ok: true, config };
}

function readRoot(c: NodeChecker, root: YAMLMap): FunctionConfig | undefined {
  c.checkKeys(root, '', TOP_LEVEL);
  const schemaVersion = c.string(root, 'schemaVersion', '');
  if (schemaVersion !== undefined && schemaVersion !== 'v0' && schemaVersion !== 'v1') {
    c.fail(c.get(root, 'schemaVersion'), 'schemaVersion', `unsupported schemaVersion "${schemaVersion}": use v1 (or v0 for old configs)`);
  }
  const name = c.string(root, 'name', '', { required: 'add `name: my-function` (lower case letters, digits and "-")' });
  const nameProblem = name === undefined ? undefined : dns1123LabelProblem(name);
  if (nameProblem) c.fail(c.get(root, 'name'), 'name', `invalid function name "${name}": ${nameProblem}`);
  const namespace = c.string(root, 'namespace', '') ?? 'default';
  const nsProblem = dns1123LabelProblem(namespace);
  if (nsProblem) c.fail(c.get(root, 'namespace'), 'namespace', `invalid namespace "${namespace}": ${nsProblem}`);
  const runtime = readRuntime(c, root);
  const labels = readLabels(c, root);
  const source = readSource(c, root);
  const resources = readResources(c, root);
  const replicas = c.integer(root, 'replicas', '');
  if (replicas !== undefined && replicas < 0) c.fail(c.get(root, 'replicas'), 'replicas', `replicas must be 0 or more, found ${replicas}`);
  const env = parseEnv(c, root);
  const subscriptions = parseSubscriptions(c, root);
  const apiRules = parseApiRules(c, root);
  if (name === undefined || runtime === undefined || source === undefined) return undefined;
  return {
    ...(schemaVersion ? { schemaVersion } : {}),
    name,
    namespace,
    runtime,
    ...(labels ? { labels } : {}),
    source,
    ...(resources ? { resources } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(env ? { env } : {}),
    subscriptions,
    apiRules,
  };
}

function readRuntime(c: NodeChecker, root: YAMLMap): SupportedRuntime | undefined {
  const runtime = c.string(root, 'runtime', '', { required: `add \`runtime: nodejs22\` (supported: ${SUPPORTED_RUNTIMES.join(', ')})` });
  if (runtime === undefined) return undefined;
  if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) {
    c.fail(c.get(root, 'runtime'), 'runtime', `unsupported runtime "${runtime}": use one of ${SUPPORTED_RUNTIMES.join(', ')}`);
    return undefined;
  }
  return runtime as SupportedRuntime;
}

function readLabels(c: NodeChecker, root: YAMLMap): Record<string, string> | undefined {
  const labels = c.stringMap(root, 'labels', '');
  const node = c.get(root, 'labels');
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (v.length > 63 || !LABEL_VALUE.test(v)) {
      c.fail(node, childField('labels', k), `invalid label value "${v}" for ${k}: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`);
    }
  }
  return labels;
}

function readSource(c: NodeChecker, root: YAMLMap): FunctionConfig['source'] | undefined {
  const node = c.get(root, 'source');
  if (node === undefined || node === null) return { sourceType: 'inline' };
  const m = c.map(node, 'source');
  if (!m) return undefined;
  const git = ['url', 'repository', 'reference', 'baseDir', 'credentialsSecretName'];
  c.checkKeys(m, 'source', ['sourceType', 'sourcePath', 'sourceHandlerName', 'depsHandlerName', ...git]);
  const sourceType = c.string(m, 'sourceType', 'source') ?? 'inline';
  if (sourceType !== 'inline') {
    const hint = sourceType === 'git' ? 'git sources are deployed from the repository, not from this folder; use sourceType: inline for local development' : 'use sourceType: inline';
    c.fail(c.get(m, 'sourceType'), 'source.sourceType', `unsupported sourceType "${sourceType}": ${hint}`);
    return undefined;
  }
  for (const key of git) if (c.has(m, key)) c.fail(c.get(m, key), `source.${key}`, `source.${key} only applies to sourceType: git; remove it`);
  const sourcePath = c.string(m, 'sourcePath', 'source');
  const sourceHandlerName = c.string(m, 'sourceHandlerName', 'source');
  const depsHandlerName = c.string(m, 'depsHandlerName', 'source');
  return {
    sourceType: 'inline',
    ...(sourcePath ? { sourcePath } : {}),
    ...(sourceHandlerName ? { sourceHandlerName } : {}),
    ...(depsHandlerName ? { depsHandlerName } : {}),
  };
}

function readResources(c: NodeChecker, root: YAMLMap): ResourcesConfig | undefined {
  const present = RESOURCE_KEYS.filter((k) => c.has(root, k));
  if (present.length === 0) return undefined;
  const key = present[0] as string;
  if (present.length > 1) c.fail(c.get(root, present[1] as string), present[1], `both ${present.join(' and ')} are set: keep only \`${key}\``);
  const m = c.map(c.get(root, key), key);
  if (!m) return undefined;
  c.checkKeys(m, key, ['profile', 'limits', 'requests']);
  const profile = c.string(m, 'profile', key);
  if (profile !== undefined && !PROFILES.includes(profile)) c.fail(c.get(m, 'profile'), `${key}.profile`, `unknown profile "${profile}": use one of ${PROFILES.join(', ')}`);
  const limits = resourceList(c, m, 'limits', key);
  const requests = resourceList(c, m, 'requests', key);
  if (profile !== undefined && (limits || requests)) c.fail(m, key, `${key}: set either profile or limits/requests, not both`);
  return { ...(profile ? { profile } : {}), ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
}

function resourceList(c: NodeChecker, m: YAMLMap, key: string, parent: string): Record<string, string> | undefined {
  const list = c.stringMap(m, key, parent);
  const node = c.get(m, key);
  for (const k of Object.keys(list ?? {})) {
    if (k !== 'cpu' && k !== 'memory') c.fail(node, childField(childField(parent, key), k), `unknown resource "${k}": use cpu or memory`);
  }
  return list;
}
