import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';

/**
 * The kind node image offline. kind's config pins it `repo:tag@sha256:<digest>`, but digests do not survive
 * `docker save`/`load` (kind#4028): after `images load` Docker has the tag and no RepoDigest, and `kind create`
 * with the digest reference tries to pull. `images save` checks that the image it archives is the one the digest
 * names and records its image id; `images load` remembers that id; `up` then gives kind the plain tag only when
 * Docker lacks the digest reference and the tag is exactly that verified image.
 */

/** `kindest/node:v1.34.3@sha256:…` → tag reference, digest reference (`kindest/node@sha256:…`), digest. */
export function splitPin(pinned: string): { tagRef: string; digestRef: string; digest: string; repo: string; tag: string } {
  const m = /^(?<repo>[^@]+):(?<tag>[^:@/]+)@(?<digest>sha256:[0-9a-f]{64})$/.exec(pinned);
  if (!m?.groups) throw new Error(`node image "${pinned}" is not "<repo>:<tag>@sha256:<digest>"`);
  const { repo, tag, digest } = m.groups as { repo: string; tag: string; digest: string };
  return { tagRef: `${repo}:${tag}`, digestRef: `${repo}@${digest}`, digest, repo, tag };
}

/** `$cacheDir/images/verified-node-images.json`: pinned reference → the image id verified against its digest. */
export function verifiedNodeImagesFile(cacheDir: string): string {
  return join(cacheDir, 'images', 'verified-node-images.json');
}

export interface VerifiedNodeImage {
  id: string;
  verifiedAt: string;
}

export function readVerifiedNodeImages(cacheDir: string): Record<string, VerifiedNodeImage> {
  try {
    const parsed = JSON.parse(readFileSync(verifiedNodeImagesFile(cacheDir), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, VerifiedNodeImage>) : {};
  } catch {
    return {};
  }
}

export function recordVerifiedNodeImage(cacheDir: string, pinned: string, id: string, verifiedAt: string): void {
  const file = verifiedNodeImagesFile(cacheDir);
  const all = { ...readVerifiedNodeImages(cacheDir), [pinned]: { id, verifiedAt } };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(all, null, 2) + '\n', { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
}

export interface NodeImageFacts {
  /** The pin, `repo:tag@sha256:…`. */
  pinned: string;
  /** Image id Docker resolves the digest reference to, if it has it. */
  digestId?: string | undefined;
  /** Image id Docker has under the plain tag, if any. */
  tagId?: string | undefined;
  /** Image id recorded as verified against the pin (by `images save`, remembered by `images load`). */
  verifiedId?: string | undefined;
}

export interface NodeImageChoice {
  /** What kind's config names: the pin, or its plain tag. */
  image: string;
  reason: string;
}

/** Pure: the plain tag only when Docker lacks the digest reference and the tag is exactly the verified image. */
export function chooseNodeImage(f: NodeImageFacts): NodeImageChoice {
  const { tagRef, digest } = splitPin(f.pinned);
  const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
  if (f.digestId) return { image: f.pinned, reason: `node image ${f.pinned} (Docker has it by digest)` };
  if (!f.tagId) return { image: f.pinned, reason: `node image ${f.pinned} (not in Docker: kind pulls it)` };
  if (!f.verifiedId) return { image: f.pinned, reason: `node image ${f.pinned}: Docker has ${tagRef} (${short(f.tagId)}) without its digest and no \`kyma-local images load\` verified it, so kind pulls by digest` };
  if (f.verifiedId !== f.tagId) return { image: f.pinned, reason: `node image ${f.pinned}: Docker's ${tagRef} is ${short(f.tagId)}, not the verified ${short(f.verifiedId)}, so kind pulls by digest` };
  return { image: tagRef, reason: `node image ${tagRef} (${short(f.tagId)}): Docker lost its digest in save/load (kind#4028); \`kyma-local images save\` verified this image against ${digest}` };
}

async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** What Docker reports plus the verification record, decided by chooseNodeImage. */
export async function resolveNodeImage(docker: Docker, cacheDir: string, pinned: string): Promise<NodeImageChoice> {
  const { tagRef, digestRef } = splitPin(pinned);
  const [digestId, tagId] = await Promise.all([imageId(docker, digestRef), imageId(docker, tagRef)]);
  return chooseNodeImage({ pinned, digestId, tagId, verifiedId: readVerifiedNodeImages(cacheDir)[pinned]?.id });
}
