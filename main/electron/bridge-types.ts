/**
 * The desktop actions the preload exposes to the dashboard as `window.kymaLocal`. Nothing else of Electron or
 * Node reaches the page (contextIsolation + sandbox); the renderer imports this file with `import type` only.
 */
export interface DesktopBridge {
  /** A native folder picker; resolves the absolute path, or undefined when cancelled. */
  chooseFunctionFolder(): Promise<string | undefined>;
  /** Shows a file or folder in the system's file manager. */
  revealInFileManager(path: string): Promise<void>;
  /** Opens an http(s) URL in the default browser; other schemes are refused. */
  openExternal(url: string): Promise<void>;
}

export const IPC = {
  chooseFunctionFolder: 'kl:choose-function-folder',
  revealInFileManager: 'kl:reveal-in-file-manager',
  openExternal: 'kl:open-external',
} as const;
