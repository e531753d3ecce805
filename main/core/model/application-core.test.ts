import { describe, expect, it } from 'vitest';
import { APPLICATION, CONFIGMAP, NAMESPACE, SECRET, type KubeObject, type ResourceType } from './index.js';

function errors(type: ResourceType, obj: KubeObject): string[] {
  return type.validate(type.applyDefaults(obj, type.versions[0] ?? ''), type.versions[0] ?? '').map((e) => `${e.field}: ${e.message}`);
}

function app(entry: Record<string, unknown>, service: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'commerce' },
    spec: { services: [{ id: 'svc-1', name: 'orders', entries: [{ type: 'API', targetUrl: 'https://api.example.com', ...entry }], ...service }] },
  };
}

const secret = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });
const cm = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, ...extra });

const cases: Array<[string, ResourceType, KubeObject, string]> = [
  ['app service id', APPLICATION, app({}, { id: '' }), 'spec.services[0].id: Required value'],
  ['app service name', APPLICATION, app({}, { name: undefined }), 'spec.services[0].name: Required value'],
  ['app entry type', APPLICATION, app({ type: 'Rest' }), 'spec.services[0].entries[0].type: Unsupported value: "Rest": supported values: "API", "Events"'],
  ['app targetUrl', APPLICATION, app({ targetUrl: 'not a url' }), 'spec.services[0].entries[0].targetUrl: Invalid value: "not a url"'],
  ['app targetUrl missing', APPLICATION, app({ targetUrl: undefined }), 'spec.services[0].entries[0].targetUrl: Required value'],
  ['app credentials type', APPLICATION, app({ credentials: { type: 'Token', secretName: 's' } }), 'spec.services[0].entries[0].credentials.type: Unsupported value: "Token"'],
  ['app credentials secret', APPLICATION, app({ credentials: { type: 'Basic' } }), 'spec.services[0].entries[0].credentials.secretName: Required value'],
  ['app oauth without token URL', APPLICATION, app({ credentials: { type: 'OAuth', secretName: 's' } }), 'spec.services[0].entries[0].credentials.authenticationUrl: Required value'],
  ['app csrf URL', APPLICATION, app({ credentials: { type: 'Basic', secretName: 's', csrfInfo: { tokenEndpointURL: 'ftp://x' } } }), 'spec.services[0].entries[0].credentials.csrfInfo.tokenEndpointURL: Invalid value: "ftp://x"'],
  ['app specificationUrl', APPLICATION, app({ specificationUrl: 'nope' }), 'spec.services[0].entries[0].specificationUrl: Invalid value: "nope"'],
  ['app skipVerify', APPLICATION, { ...app({}), spec: { skipVerify: 'yes', services: [] } }, 'spec.skipVerify: Invalid value: "yes": must be a boolean'],
  ['app display name clash', APPLICATION, { ...app({}), spec: { services: [{ id: 'a', name: 'a', displayName: 'Orders API', entries: [{ type: 'API', targetUrl: 'http://x' }] }, { id: 'b', name: 'b', displayName: 'orders api', entries: [{ type: 'API', targetUrl: 'http://y' }] }] } }, 'spec.services[1].displayName: Invalid value: "orders api": normalizes to "orders-api"'],
  ['secret base64', SECRET, secret({ data: { a: 'not base64!' } }), 'data[a]: Invalid value: "<secret contents redacted>": must be base64-encoded'],
  ['secret key', SECRET, secret({ data: { 'a/b': 'eA==' } }), 'data[a/b]: Invalid value: "a/b": a valid config key'],
  ['configmap key', CONFIGMAP, cm({ data: { 'bad key': 'v' } }), 'data[bad key]: Invalid value: "bad key"'],
  ['configmap value type', CONFIGMAP, cm({ data: { k: 1 } }), 'data[k]: Invalid value: 1: must be a string'],
  ['configmap binaryData dup', CONFIGMAP, cm({ data: { k: 'v' }, binaryData: { k: 'eA==' } }), 'binaryData[k]: Invalid value: "k": duplicate'],
  ['namespace name', NAMESPACE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Dev' } }, 'metadata.name: Invalid value: "Dev"'],
  ['secret name', SECRET, { apiVersion: 'v1', kind: 'Secret', metadata: { name: '', namespace: 'default' } }, 'metadata.name: Required value'],
];

describe('Application, Secret, ConfigMap, Namespace validation', () => {
  it.each(cases)('%s', (_name, type, obj, expected) => {
    const errs = errors(type, obj);
    expect(errs.some((e) => e.startsWith(expected)), `${JSON.stringify(errs)} should contain ${expected}`).toBe(true);
  });

  it('accepts valid objects', () => {
    expect(errors(APPLICATION, app({ credentials: { type: 'OAuth', secretName: 's', authenticationUrl: 'https://auth/token' } }))).toEqual([]);
    expect(errors(APPLICATION, app({ type: 'Events', targetUrl: undefined }))).toEqual([]);
    expect(errors(SECRET, secret({ data: { a: 'aGVsbG8=', b: '' } }))).toEqual([]);
    expect(errors(CONFIGMAP, cm({ data: { 'app.properties': 'x=1' } }))).toEqual([]);
  });

  it('defaults the Secret type to Opaque and counts data in columns', () => {
    const s = SECRET.applyDefaults(secret({ data: { a: 'eA==', b: 'eQ==' } }), 'v1');
    expect(s.type).toBe('Opaque');
    expect(Object.fromEntries(SECRET.printerColumns.map((c) => [c.name, c.value(s)]))).toMatchObject({ TYPE: 'Opaque', DATA: 2 });
    expect(CONFIGMAP.printerColumns[0]?.value(cm({ data: { a: '1' }, binaryData: { b: 'eA==' } }))).toBe(2);
  });
});
