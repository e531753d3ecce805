import { describe, expect, it } from 'vitest';
import { ApiError } from '../model/index.js';
import { deepEqual, jsonPatch, mergePatch } from './patch.js';

describe('mergePatch (RFC 7386)', () => {
  // Examples from RFC 7386 appendix A.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});

describe('jsonPatch (RFC 6902)', () => {
  const doc = { a: { b: [1, 2, 3] }, 'x/y': 1, 't~': 2 };
  it.each([
    [[{ op: 'add', path: '/a/c', value: 1 }], { ...doc, a: { b: [1, 2, 3], c: 1 } }],
    [[{ op: 'add', path: '/a/b/1', value: 9 }], { ...doc, a: { b: [1, 9, 2, 3] } }],
    [[{ op: 'add', path: '/a/b/-', value: 9 }], { ...doc, a: { b: [1, 2, 3, 9] } }],
    [[{ op: 'remove', path: '/a/b/0' }], { ...doc, a: { b: [2, 3] } }],
    [[{ op: 'replace', path: '/x~1y', value: 5 }], { ...doc, 'x/y': 5 }],
    [[{ op: 'remove', path: '/t~0' }], { a: { b: [1, 2, 3] }, 'x/y': 1 }],
    [[{ op: 'move', from: '/x~1y', path: '/z' }], { a: { b: [1, 2, 3] }, 't~': 2, z: 1 }],
    [[{ op: 'copy', from: '/a/b', path: '/c' }], { ...doc, c: [1, 2, 3] }],
    [[{ op: 'test', path: '/a/b', value: [1, 2, 3] }], doc],
  ])('%j', (ops, expected) => {
    expect(jsonPatch(doc, ops)).toEqual(expected);
  });

  it.each([
    [{ op: 'remove', path: '/nope' }],
    [{ op: 'replace', path: '/a/b/7', value: 1 }],
    [{ op: 'test', path: '/x~1y', value: 2 }],
    [{ op: 'frobnicate', path: '/a' }],
    [{ op: 'add', path: 'a', value: 1 }],
  ])('rejects %j with 400 and leaves the input untouched', (op) => {
    const before = structuredClone(doc);
    expect(() => jsonPatch(doc, [op])).toThrow(ApiError);
    expect(doc).toEqual(before);
  });
});

describe('deepEqual', () => {
  it('ignores key order and undefined-valued keys', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1, d: undefined })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});
