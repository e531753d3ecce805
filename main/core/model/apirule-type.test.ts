import { describe, expect, it } from 'vitest';
import { APIRULE, type KubeObject } from './index.js';

const noAuthRule = { path: '/*', methods: ['GET'], noAuth: true };

function v2(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'gateway.kyma-project.io/v2',
    kind: 'APIRule',
    metadata: { name: 'hello', namespace: 'default' },
    spec: { hosts: ['hello'], service: { name: 'hello', port: 80 }, rules: [noAuthRule], ...spec },
  };
}

function v1(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'gateway.kyma-project.io/v1beta1',
    kind: 'APIRule',
    metadata: { name: 'hello', namespace: 'default' },
    spec: { host: 'hello.local', service: { name: 'hello', port: 80 }, rules: [{ path: '/.*', methods: ['GET'], accessStrategies: [{ handler: 'no_auth' }] }], ...spec },
  };
}

function errors(obj: KubeObject): string[] {
  const version = obj.apiVersion.split('/')[1] ?? '';
  return APIRULE.validate(APIRULE.applyDefaults(obj, version), version).map((e) => `${e.field}: ${e.message}`);
}

const jwt = (auths: unknown[]): Record<string, unknown> => ({ path: '/api/{**}', methods: ['POST'], jwt: { authentications: auths } });

describe('APIRule v2 validation', () => {
  it('accepts valid rules and applies defaults', () => {
    expect(errors(v2({}))).toEqual([]);
    const d = APIRULE.applyDefaults(v2({}), 'v2');
    expect([d.spec?.timeout, d.spec?.gateway]).toEqual([180, 'kyma-system/kyma-gateway']);
    expect(errors(v2({ hosts: ['*.example.com'], rules: [jwt([{ issuer: 'https://i', jwksUri: 'https://i/jwks' }]), { path: '/a/{*}/b', extAuth: { authorizers: ['x'] } }] }))).toEqual([]);
    expect(errors(v2({ service: undefined, rules: [{ ...noAuthRule, service: { name: 's', port: 8080 } }] }))).toEqual([]);
  });

  const cases: Array<[string, KubeObject, string]> = [
    ['two hosts', v2({ hosts: ['a.com', 'b.com'] }), 'spec.hosts: Invalid value: 2: must contain exactly one host'],
    ['no hosts', v2({ hosts: undefined }), 'spec.hosts: Required value'],
    ['bad host', v2({ hosts: ['Bad_Host'] }), 'spec.hosts[0]: Invalid value: "Bad_Host"'],
    ['wildcard short', v2({ hosts: ['*.local'] }), 'spec.hosts[0]: Invalid value: "*.local"'],
    ['service port 0', v2({ service: { name: 'x', port: 0 } }), 'spec.service.port: Invalid value: 0: must be greater than or equal to 1'],
    ['service port high', v2({ service: { name: 'x', port: 70000 } }), 'spec.service.port: Invalid value: 70000: must be less than or equal to 65535'],
    ['service name', v2({ service: { port: 80 } }), 'spec.service.name: Required value'],
    ['no service', v2({ service: undefined }), 'spec.service: Required value'],
    ['timeout high', v2({ timeout: 4000 }), 'spec.timeout: Invalid value: 4000: must be less than or equal to 3900'],
    ['timeout zero', v2({ timeout: 0 }), 'spec.timeout: Invalid value: 0: must be greater than or equal to 1'],
    ['gateway', v2({ gateway: 'kyma-gateway' }), 'spec.gateway: Invalid value: "kyma-gateway"'],
    ['no rules', v2({ rules: [] }), 'spec.rules: Required value'],
    ['path no slash', v2({ rules: [{ ...noAuthRule, path: 'api' }] }), 'spec.rules[0].path: Invalid value: "api": must start with "/"'],
    ['path {**} not last', v2({ rules: [{ ...noAuthRule, path: '/{**}/x' }] }), 'spec.rules[0].path: Invalid value: "/{**}/x": {**} must be the last segment'],
    ['path star inside', v2({ rules: [{ ...noAuthRule, path: '/a/*' }] }), 'spec.rules[0].path: Invalid value: "/a/*"'],
    ['bad method', v2({ rules: [{ ...noAuthRule, methods: ['FETCH'] }] }), 'spec.rules[0].methods[0]: Unsupported value: "FETCH"'],
    ['no auth', v2({ rules: [{ path: '/x', methods: ['GET'] }] }), 'spec.rules[0]: Required value: exactly one of noAuth: true, jwt or extAuth'],
    ['noAuth false', v2({ rules: [{ path: '/x', noAuth: false }] }), 'spec.rules[0]: Required value'],
    ['two auths', v2({ rules: [{ ...jwt([{ issuer: 'i', jwksUri: 'https://j' }]), noAuth: true }] }), 'spec.rules[0]: Forbidden: only one of noAuth, jwt or extAuth'],
    ['jwt empty', v2({ rules: [jwt([])] }), 'spec.rules[0].jwt.authentications: Required value'],
    ['jwt issuer', v2({ rules: [jwt([{ jwksUri: 'https://j' }])] }), 'spec.rules[0].jwt.authentications[0].issuer: Required value'],
    ['jwt jwksUri', v2({ rules: [jwt([{ issuer: 'i' }])] }), 'spec.rules[0].jwt.authentications[0].jwksUri: Required value'],
    ['duplicate path+method', v2({ rules: [noAuthRule, noAuthRule] }), 'spec.rules[1].path: Duplicate value: "/*"'],
  ];

  it.each(cases)('%s', (_name, obj, expected) => {
    const errs = errors(obj);
    expect(errs.some((e) => e.startsWith(expected)), `${JSON.stringify(errs)} should contain ${expected}`).toBe(true);
  });

  it('shows STATE and HOST', () => {
    const o = { ...v2({}), status: { state: 'Ready' } };
    const row = Object.fromEntries(APIRULE.printerColumns.map((c) => [c.name, c.value(o)]));
    expect(row).toMatchObject({ STATE: 'Ready', HOST: 'hello' });
    expect(APIRULE.printerColumns.find((c) => c.name === 'HOST')?.value(v1({}))).toBe('hello.local');
  });
});

describe('APIRule v1beta1 validation', () => {
  it('accepts a classic manifest without applying v2 defaults', () => {
    expect(errors(v1({}))).toEqual([]);
    expect(APIRULE.applyDefaults(v1({}), 'v1beta1').spec?.timeout).toBeUndefined();
  });

  const cases: Array<[string, KubeObject, string]> = [
    ['host', v1({ host: undefined }), 'spec.host: Required value'],
    ['service', v1({ service: undefined }), 'spec.service: Required value'],
    ['port', v1({ service: { name: 'x' } }), 'spec.service.port: Required value'],
    ['rules', v1({ rules: [] }), 'spec.rules: Required value'],
    ['path', v1({ rules: [{ methods: ['GET'], accessStrategies: [{ handler: 'allow' }] }] }), 'spec.rules[0].path: Required value'],
    ['strategies', v1({ rules: [{ path: '/x', methods: ['GET'] }] }), 'spec.rules[0].accessStrategies: Required value'],
    ['handler', v1({ rules: [{ path: '/x', accessStrategies: [{ handler: 'magic' }] }] }), 'spec.rules[0].accessStrategies[0].handler: Unsupported value: "magic"'],
  ];

  it.each(cases)('%s', (_name, obj, expected) => {
    const errs = errors(obj);
    expect(errs.some((e) => e.startsWith(expected)), `${JSON.stringify(errs)} should contain ${expected}`).toBe(true);
  });
});

describe('APIRule v2alpha1', () => {
  it('is validated and defaulted like v2 (same schema upstream)', () => {
    const obj: KubeObject = { apiVersion: 'gateway.kyma-project.io/v2alpha1', kind: 'APIRule', metadata: { name: 'a', namespace: 'default' }, spec: { hosts: ['a'], service: { name: 'a', port: 80 }, rules: [noAuthRule] } };
    expect(APIRULE.validate(APIRULE.applyDefaults(obj, 'v2alpha1'), 'v2alpha1')).toEqual([]);
    expect(APIRULE.applyDefaults(obj, 'v2alpha1').spec?.timeout).toBe(180);
    expect(errors({ ...obj, spec: { ...obj.spec, hosts: ['a', 'b'] } })).toEqual(['spec.hosts: Invalid value: 2: must contain exactly one host']);
  });
});
