import type { DoctorCheck } from '../../api/index.js';
import { findNatsServer, INSTALL_HINT, natsCacheDir } from './binary.js';
import { manualInstallHint, natsServerVersion } from './provision.js';
import { natsRelease, NATS_SERVER_VERSION } from './release.js';

/** JetStream as Kyma Local uses it (healthz?js-enabled-only, stream limits) needs at least this server. */
const MIN_VERSION = [2, 9, 0] as const;

function older(v: string, min: readonly number[]): boolean {
  const parts = v.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    if (a !== min[i]) return a < min[i]!;
  }
  return false;
}

/** The doctor's nats-server line: which binary `up` would run and its version, or what `up` will do about a missing one. */
export async function natsServerCheck(fromProfile?: string): Promise<DoctorCheck> {
  const name = 'nats-server';
  let found;
  try {
    found = findNatsServer(fromProfile);
  } catch (err) {
    return { name, status: 'fail', detail: (err as Error).message.replace(/ — .*$/, ''), fix: `fix the path, or ${INSTALL_HINT}` };
  }
  if (!found) {
    const rel = natsRelease();
    return {
      name,
      status: 'warn',
      detail: `not installed; \`kyma-local up\` will download v${NATS_SERVER_VERSION} (${rel.asset}) from ${rel.assetUrl.replace(/\/nats-io\/.*$/, '')}`,
      fix: `run \`kyma-local setup\` now while online; offline: ${manualInstallHint(natsCacheDir(), rel)}`,
    };
  }
  try {
    const version = await natsServerVersion(found.path);
    const detail = `v${version} at ${found.path} (${found.source})`;
    if (older(version, MIN_VERSION)) return { name, status: 'fail', detail, fix: `JetStream needs nats-server ${MIN_VERSION.join('.')} or later — ${INSTALL_HINT}` };
    return { name, status: 'ok', detail };
  } catch (err) {
    return { name, status: 'fail', detail: (err as Error).message, fix: INSTALL_HINT };
  }
}
