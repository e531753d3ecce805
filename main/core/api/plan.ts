import type { DoctorCheck } from './doctor.js';
import type { RuntimeKind } from './runtime-status.js';

/** What `kyma-local up --dry-run` shows: the runtime's whole plan as reviewable text, and its preflight. */
export interface UpPlan {
  runtime: RuntimeKind;
  profile: string;
  /** For kind: the kind config YAML, module manifests with pinned versions, CRs and the image list. */
  text: string;
  checks: DoctorCheck[];
}
