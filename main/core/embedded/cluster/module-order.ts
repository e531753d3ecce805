import { MODULE_NAMES, type ModuleName } from '../../profiles/index.js';
import type { ComponentState } from '../../runtime.js';
import type { ProcessState } from '../supervisor/index.js';

/**
 * Start order: telemetry first (others export to it), eventing before serverless (functions get the
 * publisher URL), btp-operator before serverless (binding Secrets exist when functions start), the gateway once
 * functions can be resolved. Stop order is the reverse.
 */
export const START_ORDER: readonly ModuleName[] = ['telemetry', 'eventing', 'btp-operator', 'serverless', 'api-gateway', 'application-connector'];

if (START_ORDER.length !== MODULE_NAMES.length) throw new Error('START_ORDER must list every module');

export function processToComponentState(s: ProcessState): ComponentState {
  switch (s) {
    case 'Backoff':
      // Restarting after a crash: shown as Starting with the message saying why.
      return 'Starting';
    default:
      return s;
  }
}

export const NOT_IMPLEMENTED = 'not implemented yet in the embedded runtime';
