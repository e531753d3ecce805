import type { DebugInfo } from './functions.js';

/**
 * The VS Code "attach" configuration for a debug session (CLI and dashboard print the same one). `restart` makes
 * VS Code re-attach after every save, since each save is a new worker process on the same port.
 */
export function vscodeAttachConfig(info: DebugInfo): Record<string, unknown> {
  const s = info.session;
  const dir = s.handlerFile.replace(/[/\\][^/\\]+$/, '');
  return {
    type: 'node',
    request: 'attach',
    name: `Kyma Local: ${s.name}`,
    address: '127.0.0.1',
    port: s.port,
    restart: true,
    // A dev folder's handler runs from the folder itself: both roots are the same path.
    localRoot: s.fromDevFolder ? dir : '${workspaceFolder}',
    remoteRoot: dir,
    skipFiles: ['<node_internals>/**'],
  };
}
