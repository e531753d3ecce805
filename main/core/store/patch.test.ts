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

describe('patches never reach a prototype', () => {
  const refused = (fn: () => unknown): ApiError => {
    try {
      fn();
    } catch (err) {
      return err as ApiError;
    }
    throw new Error('not refused');
  };

  it('refuses __proto__, constructor and prototype path segments in JSON patch (422)', () => {
    for (const path of ['/__proto__/x', '/constructor/prototype/x', '/a/prototype', '/a/constructor']) {
      const err = refused(() => jsonPatch({ a: {} }, [{ op: 'add', path, value: 1 }]));
      expect(err.code).toBe(422);
      expect(err.message).toContain('is not allowed in a patch');
      expect(refused(() => jsonPatch({ a: {} }, [{ op: 'copy', from: path, path: '/b' }])).code).toBe(422);
    }
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('refuses such keys anywhere in a merge patch, and in JSON patch values (422)', () => {
    expect(refused(() => mergePatch({}, JSON.parse('{"a":{"__proto__":{"x":1}}}'))).code).toBe(422);
    expect(refused(() => mergePatch({}, { constructor: { prototype: { x: 1 } } })).code).toBe(422);
    expect(refused(() => jsonPatch({}, [{ op: 'add', path: '/a', value: JSON.parse('{"__proto__":{"x":1}}') }])).code).toBe(422);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('does not follow inherited members when reading a path', () => {
    expect(refused(() => jsonPatch({ a: {} }, [{ op: 'test', path: '/a/toString', value: null }])).code).toBe(400);
  });
});
