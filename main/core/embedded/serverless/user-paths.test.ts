import { describe, expect, it } from 'vitest';
import { toUserPaths } from './user-paths.js';

describe('toUserPaths', () => {
  const rev = '/home/u/.kyma-local/cluster/functions/default/demo/rev-4';
  const src = '/work/app/demo';

  it('maps stack frames and file URLs in the revision folder to the user folder', () => {
    const line = `Error: boom\n    at main (${rev}/handler.js:4:48)\n    at file://${rev}/lib/util.mjs:2:1`;
    expect(toUserPaths(line, rev, src)).toBe(`Error: boom\n    at main (${src}/handler.js:4:48)\n    at file://${src}/lib/util.mjs:2:1`);
  });

  it('maps inside JSON log lines', () => {
    const line = JSON.stringify({ level: 'error', msg: `TypeError at ${rev}/handler.js:1:2` });
    expect(JSON.parse(toUserPaths(line, rev, src)).msg).toBe(`TypeError at ${src}/handler.js:1:2`);
  });

  it('leaves other paths, a sibling revision and YAML-applied functions alone', () => {
    expect(toUserPaths(`at ${rev}0/handler.js:1:1`, rev, src)).toBe(`at ${rev}0/handler.js:1:1`);
    expect(toUserPaths(`at ${rev}/handler.js:1:1`, rev, undefined)).toBe(`at ${rev}/handler.js:1:1`);
    expect(toUserPaths('at node:internal/x:1:1', rev, src)).toBe('at node:internal/x:1:1');
  });
});
