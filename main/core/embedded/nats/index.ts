export { startNats, type RunningNats, type StartNatsOptions } from './start-nats.js';
export { resolveNatsServer, findNatsServer, ensureNatsServer, kymaLocalHome, natsCacheDir, INSTALL_HINT, type FoundNatsServer, type NatsServerSource } from './binary.js';
export { provisionNatsServer, natsServerVersion, cachedNatsServerPath, manualInstallHint, ProvisionError, type ProvisionOptions, type ProvisionedNats } from './provision.js';
export { natsRelease, checksumFor, NATS_SERVER_VERSION, DEFAULT_DOWNLOAD_BASE, type NatsRelease } from './release.js';
export { describeHolder, findPortHolder, isPortFree, pickFreePort, type PortHolder } from './port-holder.js';
export { natsServerCheck } from './preflight.js';
