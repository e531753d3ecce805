import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JS benchmark helpers, no type declarations
import { appendAll, maxOf, percentile } from '../../bench/lib-proc.js';

// A fast machine records millions of latencies in a bench run; spreading them into push() or Math.max()
// overflowed the call stack (RangeError in bench/runtime.js).
describe('bench helpers with many latencies', () => {
  const many = Array.from({ length: 1_000_000 }, (_, i) => (i % 1000) / 10);

  it('spreading that many arguments overflows the stack (what the helpers avoid)', () => {
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
  });

  it('appendAll, maxOf and percentile handle a million values, twice', () => {
    const acc: number[] = [1000];
    appendAll(acc, many);
    appendAll(acc, many);
    expect(acc).toHaveLength(2_000_001);
    expect(maxOf(acc)).toBe(1000);
    expect(percentile(acc, 50)).toBe(50);
  });
});
