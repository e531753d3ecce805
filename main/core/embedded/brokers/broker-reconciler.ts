import { SECRET, SERVICE_BROKER, type KubeObject } from '../../model/index.js';
import { failed, retryNote, succeeded } from './conditions.js';
import type { ReconcileContext } from './controller.js';
import { BrokerCallError, OsbClient } from './osb-client.js';
import { writeStatus } from './write-status.js';

function secretValue(s: KubeObject | undefined, key: string): string | undefined {
  const v = s?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

/** Fetches a ServiceBroker's catalog into the registry; returns true when the merged catalog changed. */
export async function reconcileBroker(ctx: ReconcileContext, key: string, name: string): Promise<boolean> {
  const obj = ctx.store.find(SERVICE_BROKER, undefined, name);
  if (!obj) {
    ctx.brokers.delete(name);
    return true;
  }
  const spec = obj.spec ?? {};
  const ref = spec.credentialsSecretRef as { name?: string; namespace?: string } | undefined;
  let username: string | undefined;
  let password: string | undefined;
  if (ref?.name) {
    const secret = ctx.store.find(SECRET, ref.namespace, ref.name);
    username = secretValue(secret, 'username');
    password = secretValue(secret, 'password');
    if (username === undefined) {
      const delay = ctx.retry(key);
      await writeStatus(ctx.store, SERVICE_BROKER, obj, failed('Create', `credentials Secret ${ref.namespace}/${ref.name} with keys username and password not found${retryNote(delay)}`));
      return false;
    }
  }
  const client = new OsbClient({ name, url: String(spec.url), ...(username !== undefined ? { username, password: password ?? '' } : {}) });
  const before = JSON.stringify(ctx.brokers.get(name)?.catalog ?? null);
  try {
    const catalog = await client.catalog();
    ctx.succeeded(key);
    ctx.brokers.set({ name, client, catalog });
    const services = catalog.services.map((s) => ({
      name: s.name,
      description: s.description,
      bindable: s.bindable,
      plans: s.plans.map((p) => ({ name: p.name, description: p.description, free: p.free !== false, ...(typeof p.metadata?.unavailable === 'string' ? { unavailable: p.metadata.unavailable } : {}) })),
    }));
    await writeStatus(ctx.store, SERVICE_BROKER, obj, succeeded('Create', `catalog fetched: ${catalog.services.length} offering(s)`), { offerings: catalog.services.length, services });
    return JSON.stringify(catalog) !== before;
  } catch (err) {
    if (!(err instanceof BrokerCallError)) throw err;
    const prev = ctx.brokers.get(name);
    // Keep the last good catalog: instances already provisioned by this broker still need it to unbind/deprovision.
    ctx.brokers.set({ name, client, ...(prev?.catalog ? { catalog: prev.catalog } : {}), error: err.message });
    const delay = ctx.retry(key);
    await writeStatus(ctx.store, SERVICE_BROKER, obj, failed('Create', `${err.message}${retryNote(delay)}`));
    return false;
  }
}
