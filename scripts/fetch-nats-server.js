#!/usr/bin/env node
// Puts the pinned nats-server release into build/nats-server/<os>-<arch>/ for electron-builder's extraResources,
// so the desktop app ships the binary and never downloads it. Default: this machine's platform and arch;
// `node scripts/fetch-nats-server.js linux-x64 darwin-arm64 win32-x64` for others. Honours KYMA_LOCAL_DOWNLOAD_MIRROR.
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { natsRelease, provisionNatsServer } = await import(path.join(root, 'dist', 'main', 'core', 'embedded', 'nats', 'index.js'));
// electron-builder's ${os} macro says mac/win where Node says darwin/win32.
const BUILDER_OS = { darwin: 'mac', win32: 'win', linux: 'linux' };
const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [`${process.platform}-${process.arch}`];
for (const target of targets) {
  const [platform, arch] = target.split('-');
  const release = natsRelease({ platform, arch });
  const dest = path.join(root, 'build', 'nats-server', `${BUILDER_OS[platform] ?? platform}-${arch}`);
  const stage = path.join(root, 'build', 'nats-server', `.stage-${target}`);
  try {
    const got = await provisionNatsServer({ cacheDir: stage, release, onProgress: (m) => console.error(`${target}: ${m}`) });
    await mkdir(dest, { recursive: true });
    await rename(got.path, path.join(dest, release.binaryName));
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  console.error(`${target}: ${path.relative(root, path.join(dest, release.binaryName))} (v${release.version})`);
}
