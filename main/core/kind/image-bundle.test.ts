import { describe, expect, it } from 'vitest';
import { loadProfile } from '../profiles/index.js';
import { bundleImages, defaultArchivePath, ImageBundleError, normalizePlatform } from './index.js';
import { kindUpPlan } from './plan.js';

describe('the images a kind profile needs', () => {
  it('lists every module image, function runtime and the registry once, saying why each is needed', async () => {
    const kind = await loadProfile('kind');
    const images = bundleImages(kind);
    const plan = kindUpPlan(kind);
    // The same pinned set `up --dry-run` shows, plus the registry and the node image by its tag; sorted, no duplicates.
    expect(images.map((i) => i.image)).toEqual([...new Set([...plan.images, ...plan.helperImages, 'kindest/node:v1.34.3'])].sort());
    expect(images.find((i) => i.image === 'kindest/node:v1.34.3')?.sources).toEqual(['kind node image']);
    const why = (suffix: string) => images.find((i) => i.image.endsWith(suffix))?.sources;
    expect(why('/nats-manager:1.6.4')).toEqual(['nats (for eventing)']);
    expect(why('/istio/istio-manager:1.30.0')).toEqual(['istio (for api-gateway)']);
    expect(why('/eventing-manager:1.6.3')).toEqual(['eventing']);
    expect(why('/function-runtime-python312:1.13.0')).toEqual(['function runtime python312']);
    expect(why('registry:3')).toEqual(['local registry']);
  });

  it('adds spec.kind.extraImages and honours spec.kind.registryImage', async () => {
    const kind = await loadProfile('kind');
    const images = bundleImages({ ...kind, modules: ['serverless'], kind: { ...kind.kind!, registryImage: 'mirror.example.com/registry:3', extraImages: ['postgres:16', 'mirror.example.com/registry:3'] } });
    expect(images.find((i) => i.image === 'postgres:16')?.sources).toEqual(['spec.kind.extraImages']);
    expect(images.find((i) => i.image === 'mirror.example.com/registry:3')?.sources).toEqual(['local registry', 'spec.kind.extraImages']);
    expect(images.some((i) => i.image === 'registry:3' || i.image.includes('nats'))).toBe(false);
  });

  it('refuses a profile without a kind section, and unknown platforms', async () => {
    const embedded = await loadProfile('default');
    expect(() => bundleImages(embedded)).toThrow(ImageBundleError);
    expect(normalizePlatform('arm64')).toBe('linux/arm64');
    expect(normalizePlatform('linux/x86_64')).toBe('linux/amd64');
    expect(() => normalizePlatform('windows/amd64')).toThrow(/use linux\/amd64 or linux\/arm64/);
    expect(defaultArchivePath('/c', 'kind', 'linux/arm64')).toBe('/c/images/kind-linux-arm64.tar');
  });
});
