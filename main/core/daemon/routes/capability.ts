import { ApiError } from '../../model/index.js';
import type { CapabilityName, Runtime, RuntimeCapabilities } from '../../runtime.js';

/** The runtime the daemon holds right now (it changes when a profile asks for another runtime). */
export type CurrentRuntime = () => Runtime;

const WHAT: Record<CapabilityName, string> = {
  functions: 'function details, revisions, rollback and invoke',
  events: 'the event inspector and publishing',
  dev: 'the dev loop (watched function folders)',
  gateway: 'the API gateway (APIRules) and the local OIDC issuer',
  applications: 'application connectivity (Applications, the application gateway, the API catalog)',
};

/** A capability of the current runtime, or a 501 that names the runtime when it has none. */
export function capability<K extends CapabilityName>(runtime: Runtime, name: K): NonNullable<RuntimeCapabilities[K]> {
  const c = runtime.capabilities[name];
  if (!c) throw new ApiError(501, 'NotImplemented', `the ${runtime.kind} runtime does not offer ${WHAT[name]} (yet) — use a profile with runtime: embedded for it`);
  return c as NonNullable<RuntimeCapabilities[K]>;
}
