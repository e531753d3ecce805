import { SERVICE_INSTANCE, type KubeObject } from '../../model/index.js';
import { failed, inProgress, retryNote, succeeded } from './conditions.js';
import type { ReconcileContext } from './controller.js';
import { BrokerCallError } from './osb-client.js';
import { buildParameters, ParametersError } from './parameters.js';
import { checkParameters } from './parameter-schema.js';
import { writeStatus } from './write-status.js';

/** Annotation that picks the broker when several offer the same offering name. */
export const BROKER_ANNOTATION = 'services.kyma-local.dev/broker';

type Status = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export async function reconcileInstance(ctx: ReconcileContext, key: string, ns: string, name: string, bindingsOf: (ns: string, instance: string) => KubeObject[]): Promise<void> {
  let obj = ctx.store.find(SERVICE_INSTANCE, ns, name);
  if (!obj) return;
  const st: Status = obj.status ?? {};
  if (obj.metadata.deletionTimestamp) return deleteInstance(ctx, key, obj, st, bindingsOf(ns, name));
  obj = await ctx.setFinalizer(SERVICE_INSTANCE, obj, true);
  if (!obj) return;
  const set = (cs: Parameters<typeof writeStatus>[3], extra?: Status): Promise<void> => writeStatus(ctx.store, SERVICE_INSTANCE, obj!, cs, extra);

  if (st.operationType === 'CREATE' && str(st.instanceID)) return poll(ctx, key, obj, st);
  const generation = obj.metadata.generation ?? 1;
  if (st.observedGeneration === generation) return;

  const spec = obj.spec ?? {};
  const lookup = ctx.brokers.lookup(String(spec.serviceOfferingName), String(spec.servicePlanName), obj.metadata.annotations?.[BROKER_ANNOTATION]);
  if (!lookup.ok) {
    // Waiting for a catalog is not the user's mistake: it resolves when a broker answers (recheckInstances).
    if (lookup.waiting) return set(inProgress('Create', `waiting for service brokers: ${lookup.message}`));
    // Not marked observed: a broker registered later may offer it (recheckInstances looks again).
    return set(failed('Create', lookup.message));
  }
  if (str(st.instanceID) && st.ready === 'True') {
    const changed = st.servicePlanID !== lookup.plan.id || st.serviceOfferingID !== lookup.service.id;
    if (changed) return set(failed('Update', 'changing the offering or plan of a provisioned instance is not supported locally — delete the instance and create it again', true), { observedGeneration: generation });
    // Parameter updates are not sent to brokers locally (OSB PATCH is not implemented); say so instead of pretending.
    return set(succeeded('Update', 'parameter changes of a provisioned instance are not applied locally; recreate the instance to change them'), { observedGeneration: generation });
  }
  let params: Record<string, unknown>;
  try {
    params = buildParameters(ctx.store, obj);
  } catch (err) {
    if (!(err instanceof ParametersError)) throw err;
    const delay = ctx.retry(key);
    return set(failed('Create', `${err.message}${retryNote(delay)}`));
  }
  const problems = checkParameters(lookup.plan.schemas?.service_instance?.create?.parameters, params);
  if (problems.length > 0) {
    return set(failed('Create', `invalid parameters for ${lookup.service.name}/${lookup.plan.name}: ${problems.join('; ')}`), { observedGeneration: generation });
  }
  const id = obj.metadata.uid!;
  const ids: Status = { instanceID: id, broker: lookup.broker.name, serviceOfferingID: lookup.service.id, servicePlanID: lookup.plan.id, observedGeneration: generation };
  try {
    const r = await lookup.broker.client.provision(id, {
      service_id: lookup.service.id,
      plan_id: lookup.plan.id,
      parameters: params,
      context: { platform: 'kubernetes', namespace: ns, instance_name: String(spec.externalName ?? name), clusterid: 'kyma-local' },
    });
    ctx.succeeded(key);
    if (!r.async) return set(succeeded('Create', `provisioned by broker ${lookup.broker.name}`), { ...ids, operationURL: null, operationType: null });
    await set(inProgress('Create', `broker ${lookup.broker.name} is provisioning`), { ...ids, operationURL: r.operation ?? '', operationType: 'CREATE' });
    ctx.requeue(key, ctx.pollIntervalMs);
  } catch (err) {
    if (!(err instanceof BrokerCallError)) throw err;
    if (!err.transient) return set(failed('Create', err.message), { observedGeneration: generation });
    const delay = ctx.retry(key);
    await set(failed('Create', `${err.message}${retryNote(delay)}`));
  }
}

async function poll(ctx: ReconcileContext, key: string, obj: KubeObject, st: Status): Promise<void> {
  const b = ctx.brokers.get(String(st.broker));
  const set = (cs: Parameters<typeof writeStatus>[3], extra?: Status): Promise<void> => writeStatus(ctx.store, SERVICE_INSTANCE, obj, cs, extra);
  if (!b) {
    await set(inProgress('Create', `waiting for broker ${String(st.broker)} to be registered again`));
    ctx.requeue(key, ctx.retry(key));
    return;
  }
  try {
    const op = await b.client.lastOperation(String(st.instanceID), String(st.serviceOfferingID), String(st.servicePlanID), str(st.operationURL));
    ctx.succeeded(key);
    if (op !== 'gone' && op.state === 'in progress') {
      await set(inProgress('Create', op.description ? `broker ${b.name}: ${op.description}` : `broker ${b.name} is provisioning`));
      ctx.requeue(key, ctx.pollIntervalMs);
      return;
    }
    const done = { operationURL: null, operationType: null };
    if (op !== 'gone' && op.state === 'succeeded') return set(succeeded('Create', op.description ? `broker ${b.name}: ${op.description}` : `provisioned by broker ${b.name}`), done);
    const why = op === 'gone' ? `broker ${b.name} no longer knows instance ${String(st.instanceID)}` : `broker ${b.name}: ${op.description ?? 'provisioning failed'}`;
    await set(failed('Create', why), done);
  } catch (err) {
    if (!(err instanceof BrokerCallError)) throw err;
    const delay = ctx.retry(key);
    await set(inProgress('Create', `${err.message}${retryNote(delay, 'polling again')}`));
  }
}

async function deleteInstance(ctx: ReconcileContext, key: string, obj: KubeObject, st: Status, bindings: KubeObject[]): Promise<void> {
  const set = (cs: Parameters<typeof writeStatus>[3], extra?: Status): Promise<void> => writeStatus(ctx.store, SERVICE_INSTANCE, obj, cs, extra);
  if (bindings.length > 0) {
    const names = bindings.map((b) => b.metadata.name);
    // As upstream: the instance stays (marked for deletion) until its bindings are gone; deleting them resumes this.
    return set(failed('Delete', `instance has ${names.length} binding(s): ${names.join(', ')} — delete them first (kubectl delete servicebinding ${names.join(' ')} -n ${obj.metadata.namespace})`, st.ready === 'True'));
  }
  const instanceID = str(st.instanceID);
  const b = ctx.brokers.get(String(st.broker));
  if (instanceID && b) {
    try {
      if (st.operationType === 'DELETE') {
        const op = await b.client.lastOperation(instanceID, String(st.serviceOfferingID), String(st.servicePlanID), str(st.operationURL));
        if (op !== 'gone' && op.state === 'in progress') {
          ctx.requeue(key, ctx.pollIntervalMs);
          return;
        }
        if (op !== 'gone' && op.state === 'failed') {
          const delay = ctx.retry(key);
          return set(failed('Delete', `broker ${b.name}: ${op.description ?? 'deprovisioning failed'}${retryNote(delay)}`), { operationType: null, operationURL: null });
        }
      } else {
        const r = await b.client.deprovision(instanceID, String(st.serviceOfferingID), String(st.servicePlanID));
        if (r !== 'gone' && r.async) {
          await set(inProgress('Delete', `broker ${b.name} is deprovisioning`), { operationType: 'DELETE', operationURL: r.operation ?? '' });
          ctx.requeue(key, ctx.pollIntervalMs);
          return;
        }
      }
    } catch (err) {
      if (!(err instanceof BrokerCallError)) throw err;
      const delay = ctx.retry(key);
      return set(failed('Delete', `${err.message}${retryNote(delay)}`, st.ready === 'True'));
    }
  } else if (instanceID) {
    ctx.log.warn(`ServiceInstance ${obj.metadata.namespace}/${obj.metadata.name}: broker ${String(st.broker)} is gone; removing the instance without deprovisioning`);
  }
  ctx.succeeded(key);
  await ctx.setFinalizer(SERVICE_INSTANCE, obj, false);
}
