import { describe, expect, it } from 'vitest';
import { FUNCTION } from './index.js';
import type { KubeObject } from './index.js';

function fn(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'serverless.kyma-project.io/v1alpha2',
    kind: 'Function',
    metadata: { name: 'hello', namespace: 'default', ...metadata },
    spec: { runtime: 'nodejs22', source: { inline: { source: 'module.exports = {}' } }, ...spec },
  };
}

function errors(obj: KubeObject): string[] {
  return FUNCTION.validate(FUNCTION.applyDefaults(obj, 'v1alpha2'), 'v1alpha2').map((e) => `${e.field}: ${e.message}`);
}

describe('Function validation', () => {
  it('accepts a minimal inline Function and defaults replicas to 1', () => {
    expect(errors(fn({}))).toEqual([]);
    expect(FUNCTION.applyDefaults(fn({}), 'v1alpha2').spec?.replicas).toBe(1);
    expect(FUNCTION.applyDefaults(fn({ replicas: 0 }), 'v1alpha2').spec?.replicas).toBe(0);
  });

  const cases: Array<[string, KubeObject, string]> = [
    ['unsupported runtime', fn({ runtime: 'nodejs18' }), 'spec.runtime: Unsupported value: "nodejs18": supported values: "nodejs20", "nodejs22", "nodejs24", "python312"'],
    ['missing runtime', fn({ runtime: undefined }), 'spec.runtime: Required value'],
    ['name too long for a Service', fn({}, { name: 'a'.repeat(64) }), 'metadata.name: Invalid value: "' + 'a'.repeat(64) + '": must be no more than 63 characters'],
    ['name with dots', fn({}, { name: 'a.b' }), 'metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label'],
    ['no source', fn({ source: {} }), 'spec.source: Required value: exactly one of inline or gitRepository is required'],
    ['both sources', fn({ source: { inline: { source: 'x' }, gitRepository: { url: 'https://g' } } }), 'spec.source: Forbidden: only one of inline or gitRepository may be specified'],
    ['empty inline source', fn({ source: { inline: { source: '  ' } } }), 'spec.source.inline.source: Required value'],
    ['git without url', fn({ source: { gitRepository: {} } }), 'spec.source.gitRepository.url: Required value'],
    ['git auth type', fn({ source: { gitRepository: { url: 'u', auth: { type: 'token', secretName: 's' } } } }), 'spec.source.gitRepository.auth.type: Unsupported value: "token"'],
    ['bad package.json', fn({ source: { inline: { source: 'x', dependencies: '{"name":' } } }), 'spec.source.inline.dependencies: Invalid value: "{\\"name\\":": must be a valid package.json'],
    ['env name invalid', fn({ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: '1X', value: '' }] }), 'spec.env[2].name: Invalid value: "1X": a valid environment variable name'],
    ['env name forbidden', fn({ env: [{ name: 'FUNC_PORT', value: '1' }] }), 'spec.env[0].name: Forbidden: "FUNC_PORT" is set by the function runtime'],
    ['env duplicate', fn({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }), 'spec.env[1].name: Duplicate value: "A"'],
    ['valueFrom without ref', fn({ env: [{ name: 'A', valueFrom: {} }] }), 'spec.env[0].valueFrom: Required value: exactly one of secretKeyRef or configMapKeyRef'],
    ['valueFrom two refs', fn({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' }, configMapKeyRef: { name: 'c', key: 'k' } } }] }), 'spec.env[0].valueFrom: Forbidden: may not have more than one field'],
    ['secretKeyRef without key', fn({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's' } } }] }), 'spec.env[0].valueFrom.secretKeyRef.key: Required value'],
    ['configMapKeyRef without name', fn({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { key: 'k' } } }] }), 'spec.env[0].valueFrom.configMapKeyRef.name: Required value'],
    ['negative replicas', fn({ replicas: -1 }), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ['fractional replicas', fn({ replicas: 1.5 }), 'spec.replicas: Invalid value: 1.5: must be an integer'],
    ['bad profile', fn({ resourceConfiguration: { function: { profile: 'XXL' } } }), 'spec.resourceConfiguration.function.profile: Unsupported value: "XXL": supported values: "XS", "S", "M", "L", "XL"'],
    ['reserved label', fn({ labels: { 'serverless.kyma-project.io/x': 'y' } }), 'spec.labels.serverless.kyma-project.io/x: Forbidden'],
    ['reserved annotation', fn({ annotations: { 'serverless.kyma-project.io/a': 'b' } }), 'spec.annotations.serverless.kyma-project.io/a: Forbidden'],
    ['secret mount without name', fn({ secretMounts: [{ mountPath: '/s' }] }), 'spec.secretMounts[0].secretName: Required value'],
    ['secret mount relative path', fn({ secretMounts: [{ secretName: 's', mountPath: 'rel' }] }), 'spec.secretMounts[0].mountPath: Invalid value: "rel": must be an absolute path'],
    ['bad metadata label', fn({}, { labels: { 'a b': 'c' } }), 'metadata.labels: Invalid value: "a b"'],
  ];

  it.each(cases)('%s', (_name, obj, expected) => {
    const errs = errors(obj);
    expect(errs.some((e) => e.startsWith(expected)), `${JSON.stringify(errs)} should contain ${expected}`).toBe(true);
  });

  it('reports every problem at once', () => {
    expect(errors(fn({ runtime: 'x', replicas: -1, env: [{ name: 'PYTHONPATH' }] })).length).toBe(3);
  });

  it('accepts valid env, valueFrom, profile, mounts and python requirements', () => {
    const ok = fn({
      runtime: 'python312',
      source: { inline: { source: 'def main(e, c): pass', dependencies: 'requests==2.31.0' } },
      env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      resourceConfiguration: { function: { profile: 'XS' } },
      secretMounts: [{ secretName: 's', mountPath: '/etc/s' }],
      labels: { app: 'x' },
    });
    expect(errors(ok)).toEqual([]);
  });
});

describe('Function printer columns', () => {
  it('shows runtime, conditions, replicas, age and (wide) revision', () => {
    const obj = fn({ replicas: 2 }, { creationTimestamp: '2025-01-01T00:00:00Z' });
    obj.status = { revision: '3', conditions: [{ type: 'ConfigurationReady', status: 'True' }, { type: 'Running', status: 'False' }] };
    const row = Object.fromEntries(FUNCTION.printerColumns.map((c) => [c.name, c.value(obj)]));
    expect(row).toEqual({ RUNTIME: 'nodejs22', CONFIGURED: 'True', RUNNING: 'False', REPLICAS: 2, AGE: '2025-01-01T00:00:00Z', REVISION: '3' });
    expect(FUNCTION.printerColumns.filter((c) => c.wide).map((c) => c.name)).toEqual(['REVISION']);
  });
});
