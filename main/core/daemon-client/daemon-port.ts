/** The daemon's port: KYMA_LOCAL_DAEMON_PORT (0 = any free port), else a fixed default so kubeconfigs stay valid. */
export const DEFAULT_DAEMON_PORT = 7327;

export function daemonPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KYMA_LOCAL_DAEMON_PORT;
  if (raw === undefined || raw === '') return DEFAULT_DAEMON_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`KYMA_LOCAL_DAEMON_PORT=${raw} is not a port number (0-65535; 0 = any free port)`);
  }
  return port;
}
