import { describe, expect, it } from 'vitest';
import { threeWayMergePatch } from './three-way-patch.js';

describe('threeWayMergePatch', () => {
  const last = { spec: { replicas: 1, env: [{ name: 'A', value: '1' }], labels: { a: '1', b: '2' } } };
  const live = { spec: { replicas: 1, env: [{ name: 'A', value: '1' }], labels: { a: '1', b: '2', fromController: 'x' } }, status: { ready: true } };

  it('is empty when the configuration is unchanged', () => {
    expect(threeWayMergePatch(last, last, live)).toEqual({});
  });

  it('sets changed fields, replaces lists whole and deletes only what the last configuration had', () => {
    const next = { spec: { replicas: 2, env: [{ name: 'A', value: '2' }], labels: { a: '1' } } };
    expect(threeWayMergePatch(last, next, live)).toEqual({ spec: { replicas: 2, env: [{ name: 'A', value: '2' }], labels: { b: null } } });
  });

  it('deletes nothing without a last applied configuration', () => {
    expect(threeWayMergePatch(undefined, { spec: { replicas: 3 } }, live)).toEqual({ spec: { replicas: 3 } });
  });
});
