import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';

export interface ImagePresence {
  image: string;
  present: boolean;
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/** Which images the engine already has. */
export async function imagePresence(docker: Docker, images: readonly string[]): Promise<ImagePresence[]> {
  const out: ImagePresence[] = [];
  for (const image of images) {
    try {
      await docker.getImage(image).inspect();
      out.push({ image, present: true });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      out.push({ image, present: false });
    }
  }
  return out;
}

/** The engine's platform as `os/arch` (images are saved for this platform only, see kind#3795). */
export async function enginePlatform(docker: Docker): Promise<string> {
  const v = (await docker.version()) as { Os?: string; Arch?: string };
  return `${v.Os ?? 'linux'}/${v.Arch ?? 'amd64'}`;
}

export type ImageProgress = (ev: { image: string; state: 'pulling' | 'pulled' | 'present' | 'saving' | 'saved' | 'loading' | 'loaded'; detail?: string }) => void;

/** Pulls the images the engine lacks, for one platform; rejects naming the first image that failed. */
export async function pullMissing(docker: Docker, images: readonly string[], platform: string, onProgress: ImageProgress = () => {}): Promise<void> {
  for (const { image, present } of await imagePresence(docker, images)) {
    if (present) {
      onProgress({ image, state: 'present' });
      continue;
    }
    onProgress({ image, state: 'pulling' });
    try {
      const stream = await docker.pull(image, { platform });
      await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      throw new Error(`cannot pull ${image} for ${platform}: ${(err as Error).message} — on an offline machine load a bundle made elsewhere with \`kyma-local images load <file>\``);
    }
    onProgress({ image, state: 'pulled' });
  }
}

/**
 * Writes one `docker save` archive with every image (all must be present; see pullMissing). Written to a
 * temporary name first, so a failed save never leaves a truncated archive where a good one is expected.
 */
export async function saveImages(docker: Docker, images: readonly string[], file: string, onProgress: ImageProgress = () => {}): Promise<void> {
  const missing = (await imagePresence(docker, images)).filter((p) => !p.present).map((p) => p.image);
  if (missing.length > 0) throw new Error(`cannot save: ${missing.length} image(s) are not in Docker: ${missing.join(', ')} — pull them first (\`kyma-local images save\` pulls what it can reach)`);
  for (const image of images) onProgress({ image, state: 'saving' });
  const tmp = `${file}.partial`;
  try {
    // dockerode has getImages (GET /images/get?names=…) but its type definitions lack it.
    const saver = docker as unknown as { getImages(opts: { names: string[] }): Promise<NodeJS.ReadableStream> };
    const stream = await saver.getImages({ names: [...images] });
    await pipeline(stream, createWriteStream(tmp));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  for (const image of images) onProgress({ image, state: 'saved' });
}

/** Loads a `docker save` archive; returns the image names Docker reported loading. */
export async function loadImages(docker: Docker, file: string, onProgress: ImageProgress = () => {}): Promise<string[]> {
  const stream = await docker.loadImage(createReadStream(file), { quiet: true });
  const loaded: string[] = [];
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(err) : resolve()),
      (ev: { stream?: string; error?: string }) => {
        const m = /Loaded image(?: ID)?: (\S+)/.exec(ev.stream ?? '');
        if (m) {
          loaded.push(m[1]!);
          onProgress({ image: m[1]!, state: 'loaded' });
        }
      },
    ),
  );
  return loaded;
}

/** Tags and pushes images into the local registry under their mirror path, so containerd's mirror finds them. */
export async function pushToRegistry(docker: Docker, images: readonly string[], registryHost: string, mirrorPathOf: (image: string) => string): Promise<string[]> {
  const pushed: string[] = [];
  for (const image of images) {
    const target = `${registryHost}/${mirrorPathOf(image)}`;
    const at = target.lastIndexOf(':');
    const repo = at > target.lastIndexOf('/') ? target.slice(0, at) : target;
    const tag = at > target.lastIndexOf('/') ? target.slice(at + 1) : 'latest';
    await docker.getImage(image).tag({ repo, tag });
    // The engine refuses a push without an X-Registry-Auth header, even to a registry without auth: send `{}`.
    const stream = await docker.getImage(repo).push({ tag, authconfig: {} });
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err, out: Array<{ error?: string }>) => {
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed!.error));
      else resolve();
    }));
    pushed.push(`${repo}:${tag}`);
  }
  return pushed;
}
