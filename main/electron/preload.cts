// A sandboxed preload runs as a classic CommonJS script whose `require` knows only 'electron' (no ESM, no
// Node, none of our modules), hence a .cts file compiled to dist/main/electron/preload.cjs.
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge } from './bridge-types.js';

// Mirrors IPC in bridge-types.ts, which this script cannot load.
const IPC = {
  chooseFunctionFolder: 'kl:choose-function-folder',
  revealInFileManager: 'kl:reveal-in-file-manager',
  openExternal: 'kl:open-external',
} as const;

const bridge: DesktopBridge = {
  chooseFunctionFolder: () => ipcRenderer.invoke(IPC.chooseFunctionFolder) as Promise<string | undefined>,
  revealInFileManager: (path: string) => ipcRenderer.invoke(IPC.revealInFileManager, String(path)) as Promise<void>,
  openExternal: (url: string) => ipcRenderer.invoke(IPC.openExternal, String(url)) as Promise<void>,
};

contextBridge.exposeInMainWorld('kymaLocal', bridge);
