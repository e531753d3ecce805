import { describe, expect, it } from 'vitest';
import { findTypeByKind, resolveTypeName } from './registry.js';
import { SERVICE_BINDING, SERVICE_BROKER, SERVICE_INSTANCE } from './service-types.js';
import type { KubeObject } from './object.js';

const si = (spec: unknown): KubeObject => ({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceInstance', metadata: { name: 'db', namespace: 'default' }, spec: spec as Record<string, unknown> });
const sb = (spec: unknown): KubeObject => ({ apiVersion: 'services.cloud.sap.com/v1', kind: 'ServiceBinding', metadata: { name: 'db-binding', namespace: 'default' }, spec: spec as Record<string, unknown> });
const fields = (errs: Array<{ field: string }>): string[] => errs.map((e) => e.field);

describe('ServiceInstance', () => {
  it('requires offering and plan and names bad parametersFrom entries by path', () => {
    expect(fields(SERVICE_INSTANCE.validate(si({}), 'v1'))).toEqual(['spec.serviceOfferingName', 'spec.servicePlanName']);
    const errs = SERVICE_INSTANCE.validate(si({ serviceOfferingName: 'postgresql', servicePlanName: 'dev', parameters: 3, parametersFrom: [{ secretKeyRef: { name: 'p' } }, {}] }), 'v1');
    expect(fields(errs)).toEqual(['spec.parameters', 'spec.parametersFrom[0].secretKeyRef.key', 'spec.parametersFrom[1].secretKeyRef']);
  });

  it('defaults externalName to metadata.name, like the operator', () => {
    const out = SERVICE_INSTANCE.applyDefaults(si({ serviceOfferingName: 'postgresql', servicePlanName: 'dev' }), 'v1');
    expect(out.spec?.externalName).toBe('db');
    expect(SERVICE_INSTANCE.validate(out, 'v1')).toEqual([]);
  });
});

describe('ServiceBinding', () => {
  it('defaults secretName to the binding name and validates secret keys', () => {
    const out = SERVICE_BINDING.applyDefaults(sb({ serviceInstanceName: 'db' }), 'v1');
    expect(out.spec?.secretName).toBe('db-binding');
    expect(SERVICE_BINDING.validate(out, 'v1')).toEqual([]);
    const bad = SERVICE_BINDING.validate(sb({ serviceInstanceName: 'db', secretName: 'Bad_Name', secretKey: 'a b', serviceInstanceNamespace: 'other' }), 'v1');
    expect(fields(bad)).toEqual(['spec.serviceInstanceNamespace', 'spec.secretName', 'spec.secretKey']);
  });
});

describe('ServiceBroker', () => {
  it('needs an http(s) URL and a namespaced credentials Secret', () => {
    const obj: KubeObject = { apiVersion: 'services.kyma-local.dev/v1alpha1', kind: 'ServiceBroker', metadata: { name: 'ext' }, spec: { url: 'ftp://x', credentialsSecretRef: { name: 'c' } } };
    expect(fields(SERVICE_BROKER.validate(obj, 'v1alpha1'))).toEqual(['spec.url', 'spec.credentialsSecretRef.namespace']);
  });
});

describe('registry', () => {
  it('resolves the CLI words kubectl users type', () => {
    expect(resolveTypeName('serviceinstances')).toBe(SERVICE_INSTANCE);
    expect(resolveTypeName('si')).toBe(SERVICE_INSTANCE);
    expect(resolveTypeName('servicebindings.services.cloud.sap.com')).toBe(SERVICE_BINDING);
    expect(findTypeByKind('services.kyma-local.dev/v1alpha1', 'ServiceBroker')).toBe(SERVICE_BROKER);
  });
});
