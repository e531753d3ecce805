import type { KubeObject } from '../model/index.js';

import type { WorkspaceError } from '../api/index.js';
export type { WorkspaceError };

export interface FolderReadOk {
  ok: true;
  function: KubeObject;
  /** Subscriptions and APIRules declared in config.yaml, in declaration order. */
  others: KubeObject[];
  /** Absolute paths whose change means the folder must be read again. */
  files: string[];
  /** sha256 (hex) over handler source, dependencies and config.yaml text. */
  contentHash: string;
}

export interface FolderReadFailed {
  ok: false;
  errors: WorkspaceError[];
}

export type FolderReadResult = FolderReadOk | FolderReadFailed;

export type SupportedRuntime = 'nodejs20' | 'nodejs22' | 'nodejs24' | 'python312';
export const SUPPORTED_RUNTIMES: readonly SupportedRuntime[] = ['nodejs20', 'nodejs22', 'nodejs24', 'python312'];

export interface EnvVarConfig {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}

export interface SubscriptionConfig {
  name?: string;
  typeMatching?: 'standard' | 'exact';
  source?: string;
  types: string[];
}

export interface AccessStrategyConfig {
  handler: string;
  jwksUrls: string[];
  trustedIssuers: string[];
  requiredScope: string[];
}

export interface ApiRuleRuleConfig {
  path?: string;
  methods?: string[];
  accessStrategies: AccessStrategyConfig[];
}

export interface ApiRuleConfig {
  name?: string;
  gateway?: string;
  host?: string;
  port?: number;
  rules: ApiRuleRuleConfig[];
}

export interface ResourcesConfig {
  profile?: string;
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

/** config.yaml after validation: every field has the right type. */
export interface FunctionConfig {
  schemaVersion?: string;
  name: string;
  namespace: string;
  runtime: SupportedRuntime;
  labels?: Record<string, string>;
  source: { sourceType: 'inline'; sourcePath?: string; sourceHandlerName?: string; depsHandlerName?: string };
  resources?: ResourcesConfig;
  replicas?: number;
  env?: EnvVarConfig[];
  subscriptions: SubscriptionConfig[];
  apiRules: ApiRuleConfig[];
}
