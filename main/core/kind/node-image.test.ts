import { describe, expect, it } from 'vitest';
import { chooseNodeImage, kindClusterConfig, NODE_IMAGES, pinNodeImage, splitPin } from './index.js';

const pinned = pinNodeImage(undefined);
const ID = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;

describe('the kind node image offline (kind#4028: digests do not survive docker save/load)', () => {
  it('splits the pin into its tag and digest references', () => {
    expect(splitPin(pinned)).toEqual({ tagRef: 'kindest/node:v1.34.3', digestRef: `kindest/node@${NODE_IMAGES['v1.34.3']}`, digest: NODE_IMAGES['v1.34.3'], repo: 'kindest/node', tag: 'v1.34.3' });
    expect(splitPin(`localhost:5001/x/node:v1@${NODE_IMAGES['v1.34.3']}`).tagRef).toBe('localhost:5001/x/node:v1');
    expect(() => splitPin('kindest/node:v1.34.3')).toThrow(/is not "<repo>:<tag>@sha256:<digest>"/);
  });

  it('uses the plain tag only when Docker lacks the digest and the tag is exactly the verified image', () => {
    expect(chooseNodeImage({ pinned, tagId: ID, verifiedId: ID })).toEqual({ image: 'kindest/node:v1.34.3', reason: expect.stringContaining('lost its digest in save/load (kind#4028)') });
    // Docker has the digest: the pin, verified or not.
    expect(chooseNodeImage({ pinned, digestId: ID, tagId: ID, verifiedId: ID })).toEqual({ image: pinned, reason: expect.stringContaining('Docker has it by digest') });
    // Nothing in Docker: kind pulls by digest.
    expect(chooseNodeImage({ pinned, verifiedId: ID })).toEqual({ image: pinned, reason: expect.stringContaining('not in Docker: kind pulls it') });
    // A tag nobody verified (e.g. `docker load` of someone's archive).
    expect(chooseNodeImage({ pinned, tagId: ID })).toEqual({ image: pinned, reason: expect.stringContaining('no `kyma-local images load` verified it') });
    // The tag now names another image than the verified one.
    expect(chooseNodeImage({ pinned, tagId: OTHER, verifiedId: ID })).toEqual({ image: pinned, reason: expect.stringContaining(`is bbbbbbbbbbbb, not the verified aaaaaaaaaaaa`) });
  });

  it('the kind config takes the chosen image; without one it keeps the pin (what --dry-run prints)', () => {
    const settings = { clusterName: 'kyma-local', nodeImage: 'kindest/node:v1.34.3', portMappings: [] };
    expect(kindClusterConfig(settings).nodes[0]!.image).toBe(pinned);
    expect(kindClusterConfig(settings, 'kindest/node:v1.34.3').nodes[0]!.image).toBe('kindest/node:v1.34.3');
  });
});
