/**
 * The nats-server release Kyma Local downloads when none is installed: one pinned version, so every machine
 * runs what was tested. Asset names and the checksum file follow the upstream GitHub release
 * (`nats-server-v<version>-<os>-<arch>.tar.gz|.zip` and `SHA256SUMS` in `sha256sum` format).
 */
export const NATS_SERVER_VERSION = '2.11.3';

/** Where release assets are fetched from; a mirror serves the same paths (`<base>/nats-io/nats-server/releases/download/…`). */
export const DEFAULT_DOWNLOAD_BASE = 'https://github.com';

export interface NatsRelease {
  version: string;
  /** e.g. nats-server-v2.11.3-linux-amd64.tar.gz */
  asset: string;
  /** The folder inside the archive that holds the binary, e.g. nats-server-v2.11.3-linux-amd64 */
  folder: string;
  /** nats-server or nats-server.exe */
  binaryName: string;
  format: 'tar.gz' | 'zip';
  assetUrl: string;
  checksumsUrl: string;
}

const OS: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'darwin', win32: 'windows', freebsd: 'freebsd' };
const ARCH: Partial<Record<string, string>> = { x64: 'amd64', arm64: 'arm64', arm: 'arm7', ia32: '386', s390x: 's390x', ppc64: 'ppc64le' };

export function natsServerBinaryName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'nats-server.exe' : 'nats-server';
}

/** The release asset for this OS/arch; throws naming the platform when upstream publishes none for it. */
export function natsRelease(opts: { platform?: NodeJS.Platform; arch?: string; base?: string; version?: string } = {}): NatsRelease {
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  const version = opts.version ?? NATS_SERVER_VERSION;
  const os = OS[platform];
  const goArch = ARCH[arch];
  if (!os || !goArch) throw new Error(`nats-server publishes no release build for ${platform}/${arch}`);
  // Windows builds are published as zip only; the others as tar.gz too, which keeps the file mode.
  const format = platform === 'win32' ? 'zip' : 'tar.gz';
  const folder = `nats-server-v${version}-${os}-${goArch}`;
  const asset = `${folder}.${format}`;
  const base = (opts.base ?? (process.env.KYMA_LOCAL_DOWNLOAD_MIRROR || DEFAULT_DOWNLOAD_BASE)).replace(/\/+$/, '');
  const dir = `${base}/nats-io/nats-server/releases/download/v${version}`;
  return { version, asset, folder, binaryName: natsServerBinaryName(platform), format, assetUrl: `${dir}/${asset}`, checksumsUrl: `${dir}/SHA256SUMS` };
}

/** The checksum of `asset` in a `sha256sum`-format file (`<hex>  <name>` or `<hex> *<name>` per line). */
export function checksumFor(sums: string, asset: string): string | undefined {
  for (const line of sums.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m && m[2] === asset) return m[1]!.toLowerCase();
  }
  return undefined;
}
