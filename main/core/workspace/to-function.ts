import type { KubeObject } from '../model/index.js';
import type { FunctionConfig } from './types.js';

export const FUNCTION_API_VERSION = 'serverless.kyma-project.io/v1alpha2';
/** Where the function came from on disk; dropped by exportManifests so exported YAML stays cluster-clean. */
export const SOURCE_DIR_ANNOTATION = 'kyma-local.io/source-dir';
/** When the dev loop saw the save that produced this generation (ms epoch); the start of save→ready latency. */
export const SAVED_AT_ANNOTATION = 'kyma-local.io/saved-at';

/**
 * config.yaml → Function. `labels` go to metadata.labels only, as hydroform does (it also added
 * `app.kubernetes.io/name`, which we leave out so the Function carries exactly what the user wrote).
 */
export function toFunction(cfg: FunctionConfig, dir: string, source: string, dependencies: string | undefined): KubeObject {
  const spec: Record<string, unknown> = {
    runtime: cfg.runtime,
    source: { inline: { source, ...(dependencies !== undefined ? { dependencies } : {}) } },
  };
  if (cfg.env && cfg.env.length > 0) spec.env = cfg.env.map((e) => ({ ...e }));
  if (cfg.replicas !== undefined) spec.replicas = cfg.replicas;
  if (cfg.resources) {
    const { profile, limits, requests } = cfg.resources;
    spec.resourceConfiguration = {
      function: profile ? { profile } : { resources: { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) } },
    };
  }
  return {
    apiVersion: FUNCTION_API_VERSION,
    kind: 'Function',
    metadata: {
      name: cfg.name,
      namespace: cfg.namespace,
      ...(cfg.labels && Object.keys(cfg.labels).length > 0 ? { labels: { ...cfg.labels } } : {}),
      annotations: { [SOURCE_DIR_ANNOTATION]: dir },
    },
    spec,
  };
}
