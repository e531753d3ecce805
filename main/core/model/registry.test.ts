import { describe, expect, it } from 'vitest';
import { APIRULE, APPLICATION, CONFIGMAP, findTypeByKind, findTypeByResource, FUNCTION, NAMESPACE, RESOURCE_TYPES, resolveTypeName, SECRET, SUBSCRIPTION } from './index.js';

describe('type registry', () => {
  it('lists every kind', () => {
    expect(RESOURCE_TYPES.map((t) => t.kind)).toEqual(['Function', 'Subscription', 'APIRule', 'Application', 'Secret', 'ConfigMap', 'Namespace', 'ServiceInstance', 'ServiceBinding', 'ServiceBroker']);
  });

  it.each([
    ['serverless.kyma-project.io/v1alpha2', 'Function', FUNCTION],
    ['gateway.kyma-project.io/v2', 'APIRule', APIRULE],
    ['gateway.kyma-project.io/v1beta1', 'APIRule', APIRULE],
    ['v1', 'Secret', SECRET],
    ['v1', 'Namespace', NAMESPACE],
    ['serverless.kyma-project.io/v1alpha1', 'Function', undefined],
    ['v1', 'Function', undefined],
  ])('findTypeByKind(%s, %s)', (apiVersion, kind, expected) => {
    expect(findTypeByKind(apiVersion, kind)).toBe(expected);
  });

  it.each([
    ['serverless.kyma-project.io', 'v1alpha2', 'functions', FUNCTION],
    ['serverless.kyma-project.io', 'v1alpha2', 'fn', FUNCTION],
    ['eventing.kyma-project.io', 'v1alpha2', 'subscription', SUBSCRIPTION],
    ['', 'v1', 'configmaps', CONFIGMAP],
    ['', 'v1', 'functions', undefined],
    ['applicationconnector.kyma-project.io', 'v1alpha1', 'applications', APPLICATION],
  ])('findTypeByResource(%s, %s, %s)', (group, version, resource, expected) => {
    expect(findTypeByResource(group, version, resource)).toBe(expected);
  });

  it.each([
    ['fn', FUNCTION],
    ['fns', FUNCTION],
    ['functions', FUNCTION],
    ['Function', FUNCTION],
    ['functions.serverless.kyma-project.io', FUNCTION],
    ['functions.v1alpha2.serverless.kyma-project.io', FUNCTION],
    ['apirules', APIRULE],
    ['apirules.v1beta1.gateway.kyma-project.io', APIRULE],
    ['secret', SECRET],
    ['cm', CONFIGMAP],
    ['subscriptions', SUBSCRIPTION],
    ['ns', NAMESPACE],
    ['pods', undefined],
    ['functions.example.com', undefined],
  ])('resolveTypeName(%s)', (name, expected) => {
    expect(resolveTypeName(name)).toBe(expected);
  });
});
