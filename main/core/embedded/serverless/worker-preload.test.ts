import { describe, expect, it } from 'vitest';
import { remapPath } from './worker-preload.js';
import { parseMemory, resourceProfile } from './effective-config.js';

describe('worker preload path map', () => {
  const map = { '/etc/creds': '/state/rev-3/secrets/0', '/etc/creds/nested': '/state/rev-3/secrets/1' };
  it('maps paths under a mountPath, the longest mount first', () => {
    expect(remapPath('/etc/creds/password', map)).toBe('/state/rev-3/secrets/0/password');
    expect(remapPath('/etc/creds', map)).toBe('/state/rev-3/secrets/0');
    expect(remapPath('/etc/creds/nested/key', map)).toBe('/state/rev-3/secrets/1/key');
    expect(remapPath(new URL('file:///etc/creds/a'), map)).toBe('/state/rev-3/secrets/0/a');
  });
  it('leaves other paths, relative paths, prefixes that are not path segments and fds alone', () => {
    expect(remapPath('/etc/credsx/a', map)).toBe('/etc/credsx/a');
    expect(remapPath('etc/creds/a', map)).toBe('etc/creds/a');
    expect(remapPath(3, map)).toBe(3);
  });
});

describe('resource profiles → Node heap', () => {
  it('maps profiles and memory limits to --max-old-space-size', () => {
    expect(resourceProfile({})).toEqual({ profile: 'L', heapMb: 768 });
    expect(resourceProfile({ resourceConfiguration: { function: { profile: 'XS' } } })).toEqual({ profile: 'XS', heapMb: 192 });
    expect(resourceProfile({ resourceConfiguration: { function: { profile: 'XL' } } })).toEqual({ profile: 'XL', heapMb: 1536 });
    expect(resourceProfile({ resourceConfiguration: { function: { resources: { limits: { memory: '512Mi' } } } } })).toEqual({ profile: 'custom', heapMb: 384 });
    expect(parseMemory('1Gi')).toBe(1024 ** 3);
    expect(parseMemory('lots')).toBeUndefined();
  });
});
