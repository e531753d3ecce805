import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { Header, Parser, type ReadEntry } from 'tar';
import type { ArchivedImage, ImageEntry, ImageListReport, ImagesArchiveManifest, ImagesLoadResult, ImagesSaveResult } from '../api/index.js';
import type { Profile } from '../profiles/index.js';
import { dockerEndpoint, nodeContainers } from './docker.js';
import { enginePlatform, pushToRegistry } from './images.js';
import { installPlan } from './install-plan.js';
import { NodeImageError, pinNodeImage } from './kind-config.js';
import { readVerifiedNodeImages, recordVerifiedNodeImage, splitPin } from './node-image.js';
import { REGISTRY_CONTAINER, REGISTRY_HOST_PORT, REGISTRY_IMAGE } from './pins.js';
import { dockerFix } from './preflight.js';
import { mirrorPath } from './registry.js';

/**
 * `kyma-local images list|save|load`: one archive with every image a kind profile needs. The archive is a plain
 * tar whose first entry is `kyma-local-images.json` (references, image ids, platform) followed by the entries of
 * `docker save` — so `docker load -i` reads it as it is, and `images list` reads the manifest from its first
 * few KiB without walking gigabytes.
 */
export const ARCHIVE_MANIFEST = 'kyma-local-images.json';
const FORMAT = 'kyma-local-images/v1';
const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
/** The manifest of a few hundred images is a few hundred KiB; anything far bigger is not ours. */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/** A failure the user can act on; the message names the file or images and what to do. */
export class ImageBundleError extends Error {
  /** 503 when Docker is not reachable, else 400 (a request the user can fix). */
  constructor(message: string, readonly status: 400 | 503 = 400) {
    super(message);
  }
}

export type BundleProfile = Pick<Profile, 'name' | 'modules' | 'kind' | 'limits'>;

export interface ImagesProgress {
  (message: string): void;
}

function runtimeOf(image: string): string | undefined {
  const m = /\/function-runtime-([a-z0-9]+):/.exec(image);
  return m ? `function runtime ${m[1]}` : undefined;
}

/** The source of the kind node image: archived for `kind create`, never pushed into the local registry. */
export const NODE_IMAGE_SOURCE = 'kind node image';

/** The profile's node image as `repo:tag@sha256:…` (an error the user can fix when it is not pinned). */
function pinnedNodeImage(profile: BundleProfile): string {
  try {
    return pinNodeImage(profile.kind?.nodeImage);
  } catch (err) {
    if (err instanceof NodeImageError) throw new ImageBundleError(err.message);
    throw err;
  }
}

/** Every image the profile needs with why (module, function runtime, local registry, the profile's extra images). */
export function bundleImages(profile: BundleProfile): Array<{ image: string; sources: string[] }> {
  if (!profile.kind) throw new ImageBundleError(`profile ${profile.name} has no spec.kind section: images are bundled for the kind runtime — use --profile kind or a profile with runtime: kind`);
  const plan = installPlan({ modules: profile.modules, eventStreamMaxBytes: profile.limits.eventStreamMaxBytes });
  const sources = new Map<string, string[]>();
  const add = (image: string, source: string): void => {
    const s = sources.get(image) ?? [];
    if (!s.includes(source)) s.push(source);
    sources.set(image, s);
  };
  for (const step of plan.steps) {
    // NATS and Istio are dependencies: say of which chosen module.
    const module = (step.neededBy as readonly string[]).includes(step.module) ? step.module : `${step.module} (for ${step.neededBy.join(', ')})`;
    for (const image of step.images) add(image, runtimeOf(image) ?? module);
  }
  add(splitPin(pinnedNodeImage(profile)).tagRef, NODE_IMAGE_SOURCE);
  add(profile.kind.registryImage ?? REGISTRY_IMAGE, 'local registry');
  for (const image of profile.kind.extraImages) add(image, 'spec.kind.extraImages');
  return [...sources].map(([image, s]) => ({ image, sources: s })).sort((a, b) => a.image.localeCompare(b.image));
}

/** `linux/amd64` or `linux/arm64` (`amd64`, `arm64` and `x86_64`/`aarch64` accepted); kind nodes are Linux. */
export function normalizePlatform(platform: string): string {
  const p = platform.trim().toLowerCase().replace(/^(?!linux\/)/, 'linux/').replace('x86_64', 'amd64').replace('aarch64', 'arm64');
  if (!(PLATFORMS as readonly string[]).includes(p)) throw new ImageBundleError(`unknown platform "${platform}" — use ${PLATFORMS.join(' or ')} (kind nodes run Linux; pick your laptop's CPU)`);
  return p;
}

/** `$KYMA_LOCAL_HOME/cache/images/<profile>-linux-amd64.tar`. */
export function defaultArchivePath(cacheDir: string, profile: string, platform: string): string {
  return join(cacheDir, 'images', `${profile}-${platform.replace('/', '-')}.tar`);
}

/** The engine, or an error naming Docker and how to start it. */
export async function reachableEngine(docker: Docker, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    await docker.ping();
    return await enginePlatform(docker);
  } catch (err) {
    throw new ImageBundleError(`the Docker engine is not reachable at ${dockerEndpoint(env)} (${(err as Error).message}) — ${dockerFix(err as Error, env)}`, 503);
  }
}

async function inspect(docker: Docker, image: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(image).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

const platformOf = (info: Docker.ImageInspectInfo): string => `${info.Os}/${info.Architecture}`;

/** `docker save` writes `registry:3` as given; Docker may spell the same image `docker.io/library/registry:3`. */
function shortRef(ref: string): string {
  return ref.replace(/^docker\.io\/(library\/)?/, '');
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * Passes bytes through, reporting every 256 MiB: progress on long work, and a line often enough that the CLI's
 * connection to the daemon never sits idle for minutes.
 */
function byteProgress(verb: string, progress: ImagesProgress, every = 256 * 1024 * 1024): Transform {
  let seen = 0;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen - reported >= every) {
        reported = seen;
        progress(`${verb} ${mib(seen)}`);
      }
      done(null, chunk);
    },
  });
}

/** Reads only the archive's first entry: the manifest. A file that is not ours, or cut short, is named in the error. */
export function readArchiveManifest(file: string): ImagesArchiveManifest {
  if (!existsSync(file)) throw new ImageBundleError(`${file} not found — make it with \`kyma-local images save -o ${file}\``);
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const got = readSync(fd, head, 0, 512, 0);
    if (got < 512) throw new ImageBundleError(`${file} is truncated (${got} bytes) — save it again with \`kyma-local images save\``);
    const h = new Header(head);
    if (!h.cksumValid || h.path !== ARCHIVE_MANIFEST || !h.size || h.size > MAX_MANIFEST_BYTES) {
      throw new ImageBundleError(`${file} is not a kyma-local images archive (it does not start with ${ARCHIVE_MANIFEST}) — make one with \`kyma-local images save\`; a plain \`docker save\` archive loads with \`docker load -i\``);
    }
    const body = Buffer.alloc(h.size);
    const n = readSync(fd, body, 0, h.size, 512);
    if (n < h.size) throw new ImageBundleError(`${file} is truncated inside its manifest — save it again with \`kyma-local images save\``);
    let manifest: ImagesArchiveManifest;
    try {
      manifest = JSON.parse(body.toString('utf8')) as ImagesArchiveManifest;
    } catch (err) {
      throw new ImageBundleError(`${file}: ${ARCHIVE_MANIFEST} is not valid JSON (${(err as Error).message}) — the archive is corrupt; save it again`);
    }
    if (manifest.format !== FORMAT || !Array.isArray(manifest.images)) throw new ImageBundleError(`${file}: ${ARCHIVE_MANIFEST} has format ${JSON.stringify(manifest.format)}, expected ${FORMAT} — made by another version of kyma-local?`);
    return manifest;
  } finally {
    closeSync(fd);
  }
}

/** The tar header plus the manifest, padded to tar's 512-byte blocks: prepended to `docker save`'s entries. */
function manifestEntry(manifest: ImagesArchiveManifest): Buffer {
  const body = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  const head = Buffer.alloc(512);
  new Header({ path: ARCHIVE_MANIFEST, mode: 0o644, size: body.length, mtime: new Date(manifest.createdAt), type: 'File', uid: 0, gid: 0 }).encode(head, 0);
  return Buffer.concat([head, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

export interface ListOptions {
  cacheDir: string;
  /** Default: the engine's platform. */
  platform?: string;
  /** Default: defaultArchivePath(). */
  archive?: string;
}

/** `images list`: each image with its sources, whether Docker has it for the platform, and whether the archive does. */
export async function listBundle(docker: Docker, profile: BundleProfile, opts: ListOptions): Promise<ImageListReport> {
  const wanted = bundleImages(profile);
  const platform = normalizePlatform(opts.platform ?? (await reachableEngine(docker)));
  if (opts.platform) await reachableEngine(docker);
  const file = opts.archive ?? defaultArchivePath(opts.cacheDir, profile.name, platform);
  const archive: ImageListReport['archive'] = { file, exists: existsSync(file) };
  let inArchive: Set<string> | undefined;
  if (archive.exists) {
    try {
      const m = readArchiveManifest(file);
      archive.platform = m.platform;
      archive.createdAt = m.createdAt;
      // An archive of another platform holds none of the images this platform needs.
      inArchive = new Set(m.platform === platform ? m.images.map((i) => shortRef(i.image)) : []);
    } catch (err) {
      archive.error = (err as Error).message;
    }
  }
  const images: ImageEntry[] = [];
  for (const w of wanted) {
    const info = await inspect(docker, w.image);
    images.push({ ...w, inEngine: info !== undefined && platformOf(info) === platform, ...(inArchive ? { inArchive: inArchive.has(shortRef(w.image)) } : {}) });
  }
  return { profile: profile.name, platform, images, archive };
}

export interface SaveOptions {
  cacheDir: string;
  /** Default: defaultArchivePath(). */
  file?: string;
  platform?: string;
  /** Never pull: a missing image is an error listing what is missing. */
  offline?: boolean;
  onProgress?: ImagesProgress;
}

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

/** Pulls one image for a platform, reporting its layers every few seconds; rejects with Docker's reason. */
async function pull(docker: Docker, image: string, platform: string, progress: ImagesProgress, everyMs = 5000): Promise<void> {
  const stream = await docker.pull(image, { platform });
  const layers = new Map<string, { current: number; total: number; done: boolean }>();
  let last = Date.now();
  const onEvent = (ev: PullEvent): void => {
    if (!ev.id || !/^[0-9a-f]{12}$/.test(ev.id)) return;
    const layer = layers.get(ev.id) ?? { current: 0, total: 0, done: false };
    if (ev.progressDetail?.total) {
      layer.total = ev.progressDetail.total;
      layer.current = ev.progressDetail.current ?? layer.current;
    }
    if (ev.status === 'Pull complete' || ev.status === 'Already exists') layer.done = true;
    layers.set(ev.id, layer);
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    const all = [...layers.values()];
    const total = all.reduce((n, l) => n + l.total, 0);
    const current = all.reduce((n, l) => n + (l.done ? l.total : l.current), 0);
    progress(`pulling  ${image}: ${all.filter((l) => l.done).length}/${all.length} layers${total > 0 ? `, ${mib(current)} of ${mib(total)}` : ''}`);
  };
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err: Error | null, out: PullEvent[]) => {
        const failed = out?.find((o) => o.error);
        if (err || failed) reject(err ?? new Error(failed!.error));
        else resolve();
      },
      onEvent,
    ),
  );
}

function missingError(profile: string, platform: string, failures: Array<{ image: string; why: string }>, offline: boolean): ImageBundleError {
  const list = failures.map((f) => `  - ${f.image}${f.why ? ` (${f.why})` : ''}`).join('\n');
  const how = [
    offline ? `run without --offline to pull them` : `this machine cannot pull them (no network or no access to their registry)`,
    `or run \`kyma-local images save --profile ${profile} --platform ${platform}\` on a machine with internet and bring the archive here (\`kyma-local images load -i <file>\`)`,
    `or \`docker load\` / \`docker pull\` them yourself and run save again`,
  ].join('; ');
  return new ImageBundleError(`${failures.length} image(s) for ${platform} are not in Docker:\n${list}\n${how}`);
}

/**
 * `images save`: pulls what Docker lacks for the platform (unless offline), then writes one archive — the
 * manifest entry followed by `docker save` of every image — to a temporary name renamed into place, so a
 * failed save never leaves a truncated archive where a good one is expected.
 */
export async function saveBundle(docker: Docker, profile: BundleProfile, opts: SaveOptions): Promise<ImagesSaveResult> {
  const progress = opts.onProgress ?? (() => {});
  const wanted = bundleImages(profile);
  const enginePlat = await reachableEngine(docker);
  const platform = normalizePlatform(opts.platform ?? enginePlat);
  const file = opts.file ?? defaultArchivePath(opts.cacheDir, profile.name, platform);
  const node = await saveNodeImage(docker, pinnedNodeImage(profile), platform, !!opts.offline, opts.cacheDir, progress);
  const missing: string[] = [];
  for (const w of wanted) {
    if (w.sources.includes(NODE_IMAGE_SOURCE)) continue;
    const info = await inspect(docker, w.image);
    if (info && platformOf(info) === platform) progress(`present  ${w.image} (${mib(info.Size)})`);
    else missing.push(w.image);
  }
  if (node.failure) missing.unshift(node.failure.image);
  if (missing.length > 0 && opts.offline) throw missingError(profile.name, platform, missing.map((image) => ({ image, why: image === node.failure?.image ? node.failure.why : '' })), true);
  const pulled: string[] = node.pulled ? [node.pulled] : [];
  const failures: Array<{ image: string; why: string }> = node.failure ? [node.failure] : [];
  for (const image of missing) {
    if (image === node.failure?.image) continue;
    progress(`pulling  ${image} for ${platform}`);
    try {
      await pull(docker, image, platform, progress);
      pulled.push(image);
      progress(`pulled   ${image}`);
    } catch (err) {
      failures.push({ image, why: (err as Error).message.replace(/^\(HTTP code \d+\) [^-]+- /, '').trim() });
    }
  }
  if (failures.length > 0) throw missingError(profile.name, platform, failures, false);

  const images: ArchivedImage[] = [];
  for (const w of wanted) {
    const info = (await inspect(docker, w.image))!;
    if (platformOf(info) !== platform) throw new ImageBundleError(`${w.image} in Docker is ${platformOf(info)} after pulling ${platform} — this engine cannot keep images of another platform by tag; save on a ${platform} machine`);
    images.push({ image: w.image, id: info.Id, repoDigests: info.RepoDigests ?? [], sources: w.sources, size: info.Size });
  }
  const createdAt = new Date().toISOString();
  const manifest: ImagesArchiveManifest = { format: FORMAT, profile: profile.name, platform, createdAt, images };
  if (node.verified) {
    const archived = images.find((i) => i.image === node.verified!.image);
    if (archived?.id !== node.verified.id) throw new ImageBundleError(`${node.verified.image} changed in Docker while saving (now ${archived?.id}, verified ${node.verified.id}) — run save again`);
    manifest.nodeImage = { ...node.verified, verifiedAt: createdAt };
  }
  const total = images.reduce((s, i) => s + i.size, 0);
  progress(`saving   ${images.length} image(s), about ${mib(total)} uncompressed, to ${file}`);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  try {
    // dockerode has getImages (GET /images/get?names=…) but its type definitions lack it.
    const saver = docker as unknown as { getImages(opts: { names: string[] }): Promise<NodeJS.ReadableStream> };
    const saved = await saver.getImages({ names: images.map((i) => i.image) });
    // A 16 KiB write buffer (the default) pauses Docker's stream so often that saving takes twice as long.
    const out = createWriteStream(tmp, { mode: 0o644, highWaterMark: 4 * 1024 * 1024 });
    out.write(manifestEntry(manifest));
    const counter = byteProgress('writing ', progress);
    await pipeline(saved, counter, out);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ImageBundleError(`cannot write ${file}: ${(err as Error).message}`);
  }
  const bytes = statSync(file).size;
  progress(`saved    ${file} (${mib(bytes)})`);
  return { file, bytes, pulled, manifest };
}

/**
 * The node image by its pin: Docker must resolve the digest reference (pulled by `tag@digest` when missing, so
 * what is saved is what the pin names); the plain tag, which `docker save` keeps, is pointed at that image.
 */
async function saveNodeImage(
  docker: Docker,
  pinned: string,
  platform: string,
  offline: boolean,
  cacheDir: string,
  progress: ImagesProgress,
): Promise<{ verified?: { pinned: string; image: string; id: string }; pulled?: string; failure?: { image: string; why: string } }> {
  const { tagRef, digestRef, repo, tag } = splitPin(pinned);
  let info = await inspect(docker, digestRef);
  // Saving again after `images load`: the digest is gone (kind#4028), but load remembered the verified image.
  const recorded = readVerifiedNodeImages(cacheDir)[pinned]?.id;
  const byTag = info ? undefined : await inspect(docker, tagRef);
  if (!info && byTag && recorded === byTag.Id && platformOf(byTag) === platform) {
    progress(`verified ${tagRef} is ${byTag.Id}, the image ${pinned} names (by the record of an earlier images load; Docker lost the digest)`);
    return { verified: { pinned, image: tagRef, id: byTag.Id } };
  }
  let pulled: string | undefined;
  if (!info || platformOf(info) !== platform) {
    if (offline) return { failure: { image: pinned, why: 'Docker does not have it by digest; --offline cannot pull it' } };
    progress(`pulling  ${pinned} for ${platform} (kind node image, by digest)`);
    try {
      await pull(docker, pinned, platform, progress);
      pulled = pinned;
    } catch (err) {
      return { failure: { image: pinned, why: (err as Error).message.replace(/^\(HTTP code \d+\) [^-]+- /, '').trim() } };
    }
    info = await inspect(docker, digestRef);
    if (!info) return { failure: { image: pinned, why: `pulled, but Docker does not resolve ${digestRef}` } };
  }
  if (platformOf(info) !== platform) return { failure: { image: pinned, why: `Docker has it for ${platformOf(info)}, not ${platform}` } };
  if ((await inspect(docker, tagRef))?.Id !== info.Id) {
    await docker.getImage(info.Id).tag({ repo, tag });
    progress(`tagged   ${tagRef} → ${info.Id} (the image ${digestRef} names)`);
  }
  progress(`verified ${tagRef} is ${info.Id}, the image ${pinned} names (recorded in the archive: digests do not survive docker load)`);
  return { verified: { pinned, image: tagRef, id: info.Id }, ...(pulled ? { pulled } : {}) };
}

interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/**
 * Walks the whole archive (tar checksums, truncation) and checks it against its manifest: every image is in
 * `docker save`'s manifest.json, every file it names is there, and each image config hashes to the recorded id.
 */
export async function verifyArchive(file: string, manifest: ImagesArchiveManifest, progress: ImagesProgress = () => {}): Promise<void> {
  const paths = new Set<string>();
  const configHashes = new Map<string, string>();
  let dockerManifest: DockerSaveEntry[] | undefined;
  const corrupt = (why: string): ImageBundleError => new ImageBundleError(`${file} is corrupt or truncated: ${why} — save it again with \`kyma-local images save\` (or copy it again)`);
  // A copy cut at an entry boundary parses cleanly: tar's end-of-archive marker (two zero blocks) tells.
  const size = statSync(file).size;
  const tail = Buffer.alloc(1024);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, tail, 0, 1024, Math.max(0, size - 1024));
  } finally {
    closeSync(fd);
  }
  if (size % 512 !== 0 || size < 2048 || tail.some((b) => b !== 0)) throw corrupt(`it does not end with tar's end-of-archive blocks (${size} bytes) — it was cut short`);
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const path = entry.path.replace(/^\.\//, '');
        paths.add(path);
        if (path === 'manifest.json') {
          const chunks: Buffer[] = [];
          entry.on('data', (c: Buffer) => chunks.push(c));
          entry.on('end', () => {
            try {
              dockerManifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DockerSaveEntry[];
            } catch {
              dockerManifest = [];
            }
          });
        } else if (/^(blobs\/sha256\/)?[0-9a-f]{64}(\.json)?$/.test(path)) {
          const hash = createHash('sha256');
          entry.on('data', (c: Buffer) => hash.update(c));
          entry.on('end', () => configHashes.set(path, `sha256:${hash.digest('hex')}`));
        } else {
          entry.resume();
        }
      },
    });
    let settled = false;
    parser.on('error', (err: Error) => {
      settled = true;
      reject(corrupt(err.message.replace(/^TAR_\w+: /, '')));
    });
    parser.on('end', () => {
      if (!settled) resolve();
    });
    const input = createReadStream(file, { highWaterMark: 4 * 1024 * 1024 });
    input.on('error', (err) => reject(new ImageBundleError(`cannot read ${file}: ${err.message}`)));
    input.pipe(byteProgress('checked ', progress)).pipe(parser);
  });
  if (!dockerManifest) throw corrupt('it has no manifest.json from docker save');
  const byTag = new Map<string, DockerSaveEntry>();
  for (const e of dockerManifest) for (const t of e.RepoTags ?? []) byTag.set(shortRef(t), e);
  for (const img of manifest.images) {
    const e = byTag.get(shortRef(img.image));
    if (!e) throw corrupt(`${img.image} is listed in ${ARCHIVE_MANIFEST} but not in docker save's manifest.json`);
    const absent = [e.Config, ...e.Layers].filter((p) => !paths.has(p));
    if (absent.length > 0) throw corrupt(`${img.image} lacks ${absent.join(', ')}`);
    const got = configHashes.get(e.Config);
    if (got && got !== img.id) throw corrupt(`the config of ${img.image} hashes to ${got}, the manifest says ${img.id}`);
  }
}

/** The local registry's container and the port it is published on at 127.0.0.1. */
export interface RegistryTarget {
  container: string;
  hostPort: number;
}

/** kind's recipe: kind-registry on 127.0.0.1:5001. */
const DEFAULT_REGISTRY: RegistryTarget = { container: REGISTRY_CONTAINER, hostPort: REGISTRY_HOST_PORT };

/** Waits until a just-started registry answers `/v2/` (it takes a moment after `docker start`). */
async function registryAnswers(hostPort: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${hostPort}/v2/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
    if (status === 200 || status === 401) return;
    if (Date.now() > deadline) throw new ImageBundleError(`the local registry on 127.0.0.1:${hostPort} does not answer (${status ? `HTTP ${status}` : 'no connection'}) — check \`docker logs ${REGISTRY_CONTAINER}\``);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Pushes images (all in Docker) into the local registry under their mirror path (`localhost:<port>/kyma-project/
 * prod/…`), where the nodes' containerd mirrors look. Docker pushes to localhost without TLS (127.0.0.0/8 is an
 * insecure registry by default). Rejects naming the image that failed.
 */
export async function pushIntoRegistry(docker: Docker, images: readonly string[], registry: RegistryTarget = DEFAULT_REGISTRY, progress: ImagesProgress = () => {}): Promise<string[]> {
  await registryAnswers(registry.hostPort);
  const host = `localhost:${registry.hostPort}`;
  const pushed: string[] = [];
  for (const image of images) {
    progress(`pushing  ${image} → ${host}/${mirrorPath(image)}`);
    // The push needs a local `localhost:<port>/…` tag; the user's image list should not keep it, pushed or not.
    const tagged = `${host}/${mirrorPath(image)}`;
    try {
      pushed.push(...(await pushToRegistry(docker, [image], host, mirrorPath)));
    } catch (err) {
      throw new ImageBundleError(`pushing ${image} into the local registry ${registry.container} (${host}) failed: ${(err as Error).message} — check \`docker logs ${registry.container}\`, then run \`kyma-local images load\` again`);
    } finally {
      await docker.getImage(/:[^/]+$/.test(tagged) ? tagged : `${tagged}:latest`).remove({ noprune: true }).catch(() => undefined);
    }
  }
  return pushed;
}

/**
 * For `up` on kind: pushes the profile's images that Docker has (from \`kyma-local images load\` or \`save\`) into the
 * local registry, so an offline cluster pulls them through its mirrors. Images Docker lacks are left to their
 * registries. Returns what was pushed.
 */
export async function pushBundleToRegistry(docker: Docker, profile: BundleProfile, opts: { registry?: RegistryTarget; onProgress?: ImagesProgress } = {}): Promise<string[]> {
  const present: string[] = [];
  for (const w of bundleImages(profile)) if (!w.sources.includes(NODE_IMAGE_SOURCE) && (await inspect(docker, w.image))) present.push(w.image);
  if (present.length === 0) return [];
  return pushIntoRegistry(docker, present, opts.registry, opts.onProgress);
}

/**
 * kind's `load image-archive` without kind: streams the archive into each running node's containerd with the
 * command kind runs there (`ctr --namespace=k8s.io images import --all-platforms --digests -`; containerd skips
 * the manifest entry). Returns the nodes. Pods with `imagePullPolicy: Always` still pull: only the registry helps.
 */
export async function importIntoNodes(docker: Docker, file: string, cluster: string, opts: { namespace?: string; onProgress?: ImagesProgress } = {}): Promise<string[]> {
  const progress = opts.onProgress ?? (() => {});
  const nodes = (await nodeContainers(docker, cluster)).filter((n) => n.state === 'running');
  for (const node of nodes) {
    progress(`importing into ${node.name} (containerd)`);
    const exec = await docker.getContainer(node.id).exec({
      Cmd: ['ctr', `--namespace=${opts.namespace ?? 'k8s.io'}`, 'images', 'import', '--all-platforms', '--digests', '-'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: true });
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (chunks.reduce((n, c) => n + c.length, 0) < 64 * 1024) chunks.push(chunk);
        done();
      },
    });
    docker.modem.demuxStream(stream, sink, sink);
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }).pipe(stream);
    await finished;
    const { ExitCode } = await exec.inspect();
    if (ExitCode !== 0) throw new ImageBundleError(`importing ${file} into ${node.name} failed (ctr exited with ${ExitCode}): ${Buffer.concat(chunks).toString('utf8').trim()}`);
  }
  return nodes.map((n) => n.name);
}

export interface LoadOptions {
  file: string;
  onProgress?: ImagesProgress;
  env?: NodeJS.ProcessEnv;
  /** Default: kind's recipe, kind-registry on 127.0.0.1:5001. */
  registry?: RegistryTarget;
  /** The kind cluster whose nodes get the images when no registry runs (its name in the profile). */
  cluster?: string;
  /** containerd namespace of the nodes' images (kubelet's: k8s.io). */
  nodeNamespace?: string;
  /** Where the node image's verification is remembered (verified-node-images.json); without it, it is not. */
  cacheDir?: string;
}

async function registryRunning(docker: Docker, container: string): Promise<boolean> {
  try {
    return (await docker.getContainer(container).inspect()).State.Running;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/**
 * `images load`: verifies the archive, loads it into Docker, checks every image id, and — when the local
 * registry runs — pushes the images into it under their mirror path, where the cluster's containerd mirrors
 * find them offline (also for `imagePullPolicy: Always`).
 */
export async function loadBundle(docker: Docker, opts: LoadOptions): Promise<ImagesLoadResult> {
  const progress = opts.onProgress ?? (() => {});
  const { file } = opts;
  const manifest = readArchiveManifest(file);
  const enginePlat = await reachableEngine(docker, opts.env);
  if (manifest.platform !== enginePlat) progress(`warning  ${file} holds ${manifest.platform} images; this Docker engine is ${enginePlat} — they load, but a kind cluster here cannot run them`);
  progress(`checking ${file} (${mib(statSync(file).size)}, ${manifest.images.length} image(s) for ${manifest.platform}, saved ${manifest.createdAt})`);
  await verifyArchive(file, manifest, progress);
  progress(`loading  into Docker`);
  try {
    const source = createReadStream(file, { highWaterMark: 4 * 1024 * 1024 });
    const counted = byteProgress('loading ', progress);
    source.on('error', (err) => counted.destroy(err));
    const stream = await docker.loadImage(source.pipe(counted), { quiet: true });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = out?.find((o) => o.error);
        if (err || failed) reject(err ?? new Error(failed!.error));
        else resolve();
      }),
    );
  } catch (err) {
    throw new ImageBundleError(`Docker could not load ${file}: ${(err as Error).message} — the archive may be corrupt; save it again with \`kyma-local images save\``);
  }
  const loaded: string[] = [];
  for (const img of manifest.images) {
    const info = await inspect(docker, img.image);
    if (!info) throw new ImageBundleError(`${img.image} is not in Docker after loading ${file} — the archive is incomplete; save it again`);
    if (info.Id !== img.id) throw new ImageBundleError(`${img.image} in Docker is ${info.Id} after loading ${file}, the archive's manifest says ${img.id}`);
    loaded.push(img.image);
    progress(`loaded   ${img.image}`);
  }
  const node = manifest.nodeImage;
  if (node && opts.cacheDir && loaded.includes(node.image) && manifest.images.find((i) => i.image === node.image)?.id === node.id) {
    recordVerifiedNodeImage(opts.cacheDir, node.pinned, node.id, node.verifiedAt);
    progress(`verified ${node.image} is ${node.id}, the image ${node.pinned} names (checked by images save ${node.verifiedAt}); \`up\` uses the tag while Docker lacks the digest`);
  }
  // The node image is for \`kind create\`, not for pods: it does not go into the registry.
  const forCluster = loaded.filter((i) => i !== node?.image);
  const registry = opts.registry ?? DEFAULT_REGISTRY;
  let pushed: string[] = [];
  let cluster: string;
  if (await registryRunning(docker, registry.container)) {
    pushed = await pushIntoRegistry(docker, forCluster, registry, progress);
    cluster = `pushed into the local registry ${registry.container} (localhost:${registry.hostPort}): the cluster's containerd mirrors serve them without network`;
  } else if (opts.cluster && (await nodeContainers(docker, opts.cluster)).some((n) => n.state === 'running')) {
    const nodes = await importIntoNodes(docker, file, opts.cluster, { onProgress: progress, ...(opts.nodeNamespace ? { namespace: opts.nodeNamespace } : {}) });
    cluster = `imported into the containerd of ${nodes.join(', ')} (like \`kind load image-archive\`); the local registry ${registry.container} is not running, so pods with imagePullPolicy: Always still try their registry — \`kyma-local up --profile ${manifest.profile}\` starts the registry and pushes the images into it`;
  } else {
    cluster = `in Docker; the local registry ${registry.container} is not running yet — \`kyma-local up --profile ${manifest.profile}\` starts it and pushes these images into it, where the cluster's containerd mirrors find them without network`;
  }
  return { file, manifest, loaded, pushed, cluster };
}
