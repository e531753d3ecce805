// `kyma-local images list|save|load`: the images a kind profile's modules, function runtimes and helper
// containers need, bundled into one archive for offline demos.

/** One image the profile needs, and where it is. */
export interface ImageEntry {
  /** The pinned reference, e.g. `europe-docker.pkg.dev/kyma-project/prod/serverless-operator:1.13.0`. */
  image: string;
  /** Why it is needed: a module (`serverless`), `function runtime nodejs22`, `local registry`, `spec.kind.extraImages`. */
  sources: string[];
  /** In the local Docker engine for the requested platform. */
  inEngine: boolean;
  /** In the archive (undefined when there is no archive to look into). */
  inArchive?: boolean;
}

/** GET /kl/v1/images?profile=&archive=&platform= */
export interface ImageListReport {
  profile: string;
  /** `os/arch`, e.g. linux/amd64. */
  platform: string;
  images: ImageEntry[];
  /** The archive looked into: the default path unless one was given. */
  archive: { file: string; exists: boolean; platform?: string; createdAt?: string; error?: string };
}

/** One image inside an archive (its manifest, `kyma-local-images.json`). */
export interface ArchivedImage {
  image: string;
  /** Docker's image id (`sha256:` of the image config): what `load` checks the engine has afterwards. */
  id: string;
  /** Registry digests Docker knew when saving (`repo@sha256:…`), empty for images never pulled or pushed. */
  repoDigests: string[];
  sources: string[];
  /** Uncompressed size Docker reports, bytes. */
  size: number;
}

/** The first entry of an images archive; the rest of the archive is `docker save` output. */
export interface ImagesArchiveManifest {
  format: 'kyma-local-images/v1';
  profile: string;
  platform: string;
  createdAt: string;
  images: ArchivedImage[];
  /**
   * The kind node image, archived under its plain tag (`image`, also in `images`): `save` checked that Docker's
   * image `id` is the one the pin's digest names. Digests do not survive `docker load` (kind#4028), so `load`
   * records this and `up` may give kind the plain tag when the tag is exactly this image.
   */
  nodeImage?: { pinned: string; image: string; id: string; verifiedAt: string };
}

/** Result line of POST /kl/v1/images/save */
export interface ImagesSaveResult {
  file: string;
  bytes: number;
  /** Images that had to be pulled first. */
  pulled: string[];
  manifest: ImagesArchiveManifest;
}

/** Result line of POST /kl/v1/images/load */
export interface ImagesLoadResult {
  file: string;
  manifest: ImagesArchiveManifest;
  /** References now in Docker (each checked against the manifest's image id). */
  loaded: string[];
  /** `localhost:5001/…` references pushed into the local registry (empty when it is not running). */
  pushed: string[];
  /** Where the cluster gets them from, or why it does not yet. */
  cluster: string;
}
