import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION, type KubeObject } from './index.js';

function sub(spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'eventing.kyma-project.io/v1alpha2',
    kind: 'Subscription',
    metadata: { name: 'orders', namespace },
    spec: { sink: 'http://fn.default.svc.cluster.local', source: 'myapp', types: ['order.created.v1'], ...spec },
  };
}

function errors(obj: KubeObject): string[] {
  return SUBSCRIPTION.validate(SUBSCRIPTION.applyDefaults(obj, 'v1alpha2'), 'v1alpha2').map((e) => `${e.field}: ${e.message}`);
}

describe('Subscription validation', () => {
  it('accepts a valid Subscription and applies defaults', () => {
    expect(errors(sub({}))).toEqual([]);
    const d = SUBSCRIPTION.applyDefaults(sub({ config: { other: 'x' } }), 'v1alpha2');
    expect(d.spec?.typeMatching).toBe('standard');
    expect(d.spec?.config).toEqual({ other: 'x', maxInFlightMessages: '10' });
    expect(errors(sub({ sink: 'https://example.com/hook' }))).toEqual([]);
    expect(errors(sub({ typeMatching: 'exact', source: undefined, types: ['sap.kyma.custom.app.order.created.v1'] }))).toEqual([]);
  });

  const cases: Array<[string, KubeObject, string]> = [
    ['sink required', sub({ sink: undefined }), 'spec.sink: Required value'],
    ['sink scheme', sub({ sink: 'ftp://fn.default.svc.cluster.local' }), "spec.sink: Invalid value: \"ftp://fn.default.svc.cluster.local\": must be a valid URL with the scheme 'http' or 'https'"],
    ['sink not a URL', sub({ sink: 'fn' }), 'spec.sink: Invalid value: "fn"'],
    ['sink other namespace', sub({ sink: 'http://fn.other.svc.cluster.local' }), 'spec.sink: Invalid value: "http://fn.other.svc.cluster.local": the namespace of the sink "other" must equal'],
    ['sink malformed cluster-local', sub({ sink: 'http://default.svc.cluster.local' }), 'spec.sink: Invalid value: "http://default.svc.cluster.local": must be of the form'],
    ['types empty', sub({ types: [] }), 'spec.types: Required value'],
    ['types duplicate', sub({ types: ['a.b', 'a.b'] }), 'spec.types[1]: Duplicate value: "a.b"'],
    ['type one segment', sub({ types: ['order'] }), 'spec.types[0]: Invalid value: "order": must have at least 2 segments'],
    ['standard prefix', sub({ types: ['sap.kyma.custom.app.order.v1'] }), 'spec.types[0]: Forbidden: types must not start with "sap.kyma.custom"'],
    ['source required', sub({ source: '' }), 'spec.source: Required value'],
    ['typeMatching', sub({ typeMatching: 'fuzzy' }), 'spec.typeMatching: Unsupported value: "fuzzy": supported values: "standard", "exact"'],
    ['maxInFlight not int', sub({ config: { maxInFlightMessages: 'ten' } }), 'spec.config.maxInFlightMessages: Invalid value: "ten"'],
    ['maxInFlight zero', sub({ config: { maxInFlightMessages: '0' } }), 'spec.config.maxInFlightMessages: Invalid value: "0"'],
    ['maxInFlight number', sub({ config: { maxInFlightMessages: 5 } }), 'spec.config.maxInFlightMessages: Invalid value: 5: must be a string'],
  ];

  it.each(cases)('%s', (_name, obj, expected) => {
    const errs = errors(obj);
    expect(errs.some((e) => e.startsWith(expected)), `${JSON.stringify(errs)} should contain ${expected}`).toBe(true);
  });

  it('shows READY and AGE columns', () => {
    const o = { ...sub({}), status: { ready: true } };
    expect(SUBSCRIPTION.printerColumns.map((c) => [c.name, c.value(o)])).toEqual([['READY', 'true'], ['AGE', undefined]]);
  });
});
