import type { ModuleName } from '../profiles/index.js';
import type { ComponentState } from '../runtime.js';
import { installPlan } from './install-plan.js';
import { KubeClient, stateMessage, type KubeObjectLike } from './kube-client.js';

/** Where an existing cluster is: a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config) and a context. */
export interface AttachTarget {
  kubeconfig?: string;
  context?: string;
}

export interface AttachedModule {
  module: string;
  state: ComponentState;
  message: string;
}

/** Connects to an existing cluster; rejects with what to check when the server or the credentials fail. */
export async function connectCluster(target: AttachTarget): Promise<{ client: KubeClient; version: string }> {
  const client = new KubeClient({ ...(target.kubeconfig ? { kubeconfigPath: target.kubeconfig } : {}), ...(target.context ? { context: target.context } : {}) });
  try {
    return { client, version: await client.serverVersion() };
  } catch (err) {
    const what = target.context ? `context "${target.context}"` : 'the current context';
    const file = target.kubeconfig ?? 'the default kubeconfig ($KUBECONFIG or ~/.kube/config)';
    throw new Error(`cannot reach the cluster of ${what} in ${file} at ${client.server || 'an unknown server'}: ${(err as Error).message} — check the kubeconfig, the context and that the cluster is running (\`kubectl --context <ctx> get ns\`)`);
  }
}

/**
 * On an existing cluster the modules are the cluster's business (a real Kyma cluster manages them through
 * Lifecycle Manager): we only read each module CR's state and say what is missing.
 */
export async function attachedModules(client: KubeClient, modules: readonly ModuleName[]): Promise<AttachedModule[]> {
  const plan = installPlan({ modules, eventStreamMaxBytes: 64 * 1024 * 1024 });
  const out: AttachedModule[] = [];
  for (const step of plan.steps) {
    const { cr } = step;
    let obj: KubeObjectLike | undefined;
    try {
      // Any CR of the kind counts (a managed cluster may name it differently from our default).
      const items = await client.list<KubeObjectLike>(cr.apiVersion, cr.kind, cr.namespace);
      obj = items.find((o) => o.metadata?.name === cr.name) ?? items[0];
    } catch {
      obj = undefined;
    }
    if (!obj) {
      out.push({ module: step.module, state: 'Failed', message: `no ${cr.kind} resource on this cluster — add the ${step.module} module (Kyma dashboard → Modules, or \`kyma module add ${step.module}\`)` });
      continue;
    }
    const state = typeof obj.status?.state === 'string' ? obj.status.state : 'unknown';
    const msg = stateMessage(obj);
    out.push({ module: step.module, state: cr.readyStates.includes(state) ? 'Ready' : 'Starting', message: `${cr.kind} ${obj.metadata?.name}: ${state}${msg ? ` — ${msg}` : ''}` });
  }
  for (const s of plan.skipped) out.push({ module: s.module, state: 'NotImplemented', message: 'not checked on an attached cluster' });
  return out;
}
