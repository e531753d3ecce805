import { describe, expect, it } from 'vitest';
import { ApiError, parseFieldSelector, parseLabelSelector } from './index.js';

const labels = { app: 'web', tier: 'frontend', 'example.com/team': 'a' };

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web', true],
    ['app=api', false],
    ['app!=api', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app in (api)', false],
    ['app notin (api)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['example.com/team=a,app=web', true],
    ['app=web,tier=backend', false],
    ['app in (web),!missing,tier', true],
  ])('%j → %s', (sel, expected) => {
    expect(parseLabelSelector(sel)(labels)).toBe(expected);
  });

  it('treats missing labels as empty', () => {
    expect(parseLabelSelector('!a')(undefined)).toBe(true);
    expect(parseLabelSelector('a')(undefined)).toBe(false);
  });

  it.each(['app in (web', 'app=web)', 'a b c', 'app=we b', '=x', 'app,,tier', 'in (a)x', '-bad=x', 'app=-bad-'])('rejects %j with 400', (sel) => {
    let err: unknown;
    try {
      parseLabelSelector(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(400);
    expect((err as ApiError).message).toContain(sel);
  });
});

describe('parseFieldSelector', () => {
  const obj = { metadata: { name: 'a', namespace: 'ns1' } };
  it.each([
    ['metadata.name=a', true],
    ['metadata.name==a', true],
    ['metadata.name!=a', false],
    ['metadata.namespace=ns1,metadata.name=a', true],
    ['metadata.namespace=ns2', false],
    ['', true],
  ])('%j → %s', (sel, expected) => {
    expect(parseFieldSelector(sel)(obj)).toBe(expected);
  });

  it('rejects unsupported fields with 400', () => {
    expect(() => parseFieldSelector('spec.runtime=nodejs22')).toThrow(/not a known field selector/);
  });
});
