import type { ModuleName } from './profile.js';

/** The module that acts on each Kyma kind; without it running, objects of the kind are stored but not served. */
export const MODULE_OF_KIND: Readonly<Record<string, ModuleName>> = {
  Function: 'serverless',
  Subscription: 'eventing',
  APIRule: 'api-gateway',
  Application: 'application-connector',
};

/** Why a module is not running: left out of the profile, or not built into this runtime yet. */
export type ModuleAbsence = 'Disabled' | 'NotImplemented';

/** The one wording for "nothing serves this object", shared by the resource's status and `apply`'s warning. */
export function moduleNotRunningMessage(kind: string, module: ModuleName, absence: ModuleAbsence, profile: string | undefined): string {
  if (absence === 'NotImplemented') {
    return `the ${module} module is not implemented yet in this runtime — this ${kind} is stored, but nothing serves it`;
  }
  return `the ${module} module is not enabled in profile ${profile ?? 'default'} — this ${kind} is stored, but nothing serves it; add ${module} to the profile's spec.modules and run \`kyma-local down\` and \`kyma-local up\``;
}
