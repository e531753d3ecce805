// Open Service Broker API v2.17 shapes (https://github.com/openservicebrokerapi/servicebroker/blob/v2.17/spec.md),
// only the fields Kyma Local reads or serves.

export const OSB_API_VERSION = '2.17';

export interface OsbSchemas {
  service_instance?: { create?: { parameters?: Record<string, unknown> }; update?: { parameters?: Record<string, unknown> } };
  service_binding?: { create?: { parameters?: Record<string, unknown> } };
}

export interface OsbPlan {
  id: string;
  name: string;
  description: string;
  free?: boolean;
  bindable?: boolean;
  metadata?: Record<string, unknown>;
  schemas?: OsbSchemas;
}

export interface OsbService {
  id: string;
  name: string;
  description: string;
  bindable: boolean;
  tags?: string[];
  plan_updateable?: boolean;
  instances_retrievable?: boolean;
  bindings_retrievable?: boolean;
  metadata?: Record<string, unknown>;
  plans: OsbPlan[];
}

export interface OsbCatalog {
  services: OsbService[];
}

export type OsbOperationState = 'in progress' | 'succeeded' | 'failed';

export interface OsbLastOperation {
  state: OsbOperationState;
  description?: string;
}

export interface OsbProvisionRequest {
  service_id: string;
  plan_id: string;
  context?: Record<string, unknown>;
  organization_guid?: string;
  space_guid?: string;
  parameters?: Record<string, unknown>;
}

export interface OsbBindRequest {
  service_id: string;
  plan_id: string;
  context?: Record<string, unknown>;
  bind_resource?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
}

/** The error body every OSB error response carries (`error` is a machine code such as `AsyncRequired`). */
export interface OsbErrorBody {
  error?: string;
  description?: string;
}
