import { SECRET, SERVICE_BINDING, SERVICE_INSTANCE, type KubeObject } from '../../model/index.js';
import { bindingSecretData } from './binding-secret.js';
import { failed, inProgress, retryNote, succeeded } from './conditions.js';
import type { ReconcileContext } from './controller.js';
import { BrokerCallError } from './osb-client.js';
import { buildParameters, ParametersError } from './parameters.js';
import { checkParameters } from './parameter-schema.js';
import { writeStatus } from './write-status.js';

/** Marks a Secret as written for a binding (its value is the binding's name); only such Secrets are overwritten or deleted. */
export const BINDING_LABEL = 'services.kyma-local.dev/binding';

type Status = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export async function reconcileBinding(ctx: ReconcileContext, key: string, ns: string, name: string): Promise<void> {
  let obj = ctx.store.find(SERVICE_BINDING, ns, name);
  if (!obj) return;
  const st: Status = obj.status ?? {};
  const spec = obj.spec ?? {};
  const instance = ctx.store.find(SERVICE_INSTANCE, ns, String(spec.serviceInstanceName));
  if (obj.metadata.deletionTimestamp) return deleteBinding(ctx, key, obj, st, instance);
  obj = await ctx.setFinalizer(SERVICE_BINDING, obj, true);
  if (!obj) return;
  const set = (cs: Parameters<typeof writeStatus>[3], extra?: Status): Promise<void> => writeStatus(ctx.store, SERVICE_BINDING, obj!, cs, extra);
  const secretName = String(spec.secretName ?? name);
  const generation = obj.metadata.generation ?? 1;

  const existingSecret = ctx.store.find(SECRET, ns, secretName);
  // Bound and its Secret in place: nothing to do, whatever happens to the instance meanwhile (its deletion waits).
  if (st.observedGeneration === generation && str(st.bindingID) && existingSecret) return;
  if (!instance) return set(inProgress('Create', `waiting for ServiceInstance "${String(spec.serviceInstanceName)}" in namespace ${ns}: it does not exist`));
  if (instance.metadata.deletionTimestamp) return set(failed('Create', `ServiceInstance "${instance.metadata.name}" is being deleted`));
  const ist = instance.status ?? {};
  if (ist.ready !== 'True' || !str(ist.instanceID)) return set(inProgress('Create', `waiting for ServiceInstance "${instance.metadata.name}" to be ready`));

  const broker = ctx.brokers.get(String(ist.broker));
  if (!broker) {
    ctx.retry(key);
    return set(inProgress('Create', `waiting for broker ${String(ist.broker)} of ServiceInstance "${instance.metadata.name}"`));
  }
  if (existingSecret && existingSecret.metadata.labels?.[BINDING_LABEL] !== name) {
    return set(failed('Create', `Secret "${secretName}" already exists and does not belong to this binding — choose another spec.secretName or delete that Secret`), { observedGeneration: generation });
  }
  let params: Record<string, unknown>;
  try {
    params = buildParameters(ctx.store, obj);
  } catch (err) {
    if (!(err instanceof ParametersError)) throw err;
    const delay = ctx.retry(key);
    return set(failed('Create', `${err.message}${retryNote(delay)}`));
  }
  const service = broker.catalog?.services.find((s) => s.id === ist.serviceOfferingID);
  const plan = service?.plans.find((p) => p.id === ist.servicePlanID);
  const problems = checkParameters(plan?.schemas?.service_binding?.create?.parameters, params);
  if (problems.length > 0) return set(failed('Create', `invalid binding parameters: ${problems.join('; ')}`), { observedGeneration: generation });

  const bindingID = obj.metadata.uid!;
  let credentials: Record<string, unknown>;
  try {
    credentials = await broker.client.bind(String(ist.instanceID), bindingID, {
      service_id: String(ist.serviceOfferingID),
      plan_id: String(ist.servicePlanID),
      parameters: params,
      context: { platform: 'kubernetes', namespace: ns },
      bind_resource: { app_guid: `${ns}/${name}` },
    });
  } catch (err) {
    if (!(err instanceof BrokerCallError)) throw err;
    if (!err.transient) return set(failed('Create', err.message), { observedGeneration: generation });
    const delay = ctx.retry(key);
    return set(failed('Create', `${err.message}${retryNote(delay)}`));
  }
  ctx.succeeded(key);
  const data = bindingSecretData(
    credentials,
    { instance_guid: String(ist.instanceID), instance_name: String(instance.spec?.externalName ?? instance.metadata.name), plan: String(instance.spec?.servicePlanName), type: String(instance.spec?.serviceOfferingName) },
    { ...(str(spec.secretKey) ? { secretKey: String(spec.secretKey) } : {}), ...(str(spec.secretRootKey) ? { secretRootKey: String(spec.secretRootKey) } : {}) },
  );
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace: ns, labels: { [BINDING_LABEL]: name } },
    type: 'Opaque',
    stringData: data,
  };
  if (existingSecret) await ctx.store.update(secret);
  else await ctx.store.create(secret);
  // A renamed secretName leaves the old Secret behind otherwise.
  const previous = str(st.secretName);
  if (previous && previous !== secretName) await deleteOwnedSecret(ctx, ns, previous, name);
  const note = str(spec.secretTemplate) ? ' (spec.secretTemplate is not supported locally; the default format was written)' : '';
  await set(succeeded('Create', `credentials written to Secret "${secretName}"${note}`), { bindingID, instanceID: ist.instanceID, secretName, observedGeneration: generation });
}

async function deleteOwnedSecret(ctx: ReconcileContext, ns: string, secretName: string, binding: string): Promise<void> {
  const s = ctx.store.find(SECRET, ns, secretName);
  if (s && s.metadata.labels?.[BINDING_LABEL] === binding) await ctx.store.delete(SECRET, ns, secretName);
}

async function deleteBinding(ctx: ReconcileContext, key: string, obj: KubeObject, st: Status, instance: KubeObject | undefined): Promise<void> {
  const ns = obj.metadata.namespace!;
  const bindingID = str(st.bindingID);
  const ist = instance?.status ?? {};
  const broker = ctx.brokers.get(String(ist.broker));
  if (bindingID && str(ist.instanceID) && broker) {
    try {
      await broker.client.unbind(String(ist.instanceID), bindingID, String(ist.serviceOfferingID), String(ist.servicePlanID));
    } catch (err) {
      if (!(err instanceof BrokerCallError)) throw err;
      const delay = ctx.retry(key);
      return writeStatus(ctx.store, SERVICE_BINDING, obj, failed('Delete', `${err.message}${retryNote(delay)}`, true));
    }
  }
  ctx.succeeded(key);
  await deleteOwnedSecret(ctx, ns, String(obj.spec?.secretName ?? obj.metadata.name), obj.metadata.name);
  await ctx.setFinalizer(SERVICE_BINDING, obj, false);
}
