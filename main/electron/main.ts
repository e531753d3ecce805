import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, shell, Tray, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDaemon, resolveStateDir, type DaemonClient } from '../core/daemon-client/index.js';
import { apiPath, type DaemonStatusReport } from '../core/api/index.js';
import { IPC } from './bridge-types.js';
import { externalUrlAllowed, fromDashboard, revealablePath } from './desktop-actions.js';

/**
 * The desktop shell: starts (or attaches to) the user's daemon, signs the window in with a single-use login code
 * (the token never appears in a URL), and adds what a browser cannot do: a native folder picker, "show in file
 * manager", a tray with Start/Stop/Open, and asking whether to stop the cluster on quit.
 */
const here = dirname(fileURLToPath(import.meta.url));
// A 16×16 blue square; small enough to inline, so the tray needs no asset lookup inside a package.
const TRAY_ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAHElEQVR4nGNgGDSAK+/if1LwqAGjBgxXAwYMAACEhkiQEWHx0gAAAABJRU5ErkJggg==';

let client: DaemonClient | undefined;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let quitting = false;

async function connect(): Promise<DaemonClient> {
  // The daemon is a Node program; Electron's binary runs it as plain Node with ELECTRON_RUN_AS_NODE.
  const { client: c } = await ensureDaemon(resolveStateDir(), { ...process.env, ELECTRON_RUN_AS_NODE: '1' });
  return c;
}

async function dashboardUrl(c: DaemonClient): Promise<string> {
  const { path } = await c.request<{ path: string }>('POST', apiPath('uiLoginCode'));
  return c.url + path;
}

async function openWindow(): Promise<void> {
  if (!client) return;
  if (win && !win.isDestroyed()) {
    win.show();
    win.focus();
    return;
  }
  const daemonUrl = client.url;
  win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Kyma Local',
    show: false,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win?.show());
  // Stay on the dashboard: other links open in the user's browser, never inside the privileged window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (externalUrlAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!fromDashboard(url, daemonUrl)) {
      event.preventDefault();
      if (externalUrlAllowed(url)) void shell.openExternal(url);
    }
  });
  await win.loadURL(await dashboardUrl(client));
}

function guarded<T>(fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<T> | T) {
  return (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<T> | T => {
    if (!client || !fromDashboard(event.senderFrame?.url, client.url)) throw new Error('desktop actions are only available to the Kyma Local dashboard');
    return fn(event, ...args);
  };
}

function registerIpc(): void {
  ipcMain.handle(
    IPC.chooseFunctionFolder,
    guarded(async () => {
      const opts = { title: 'Choose a function folder (or a folder holding several)', properties: ['openDirectory' as const, 'createDirectory' as const] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? undefined : r.filePaths[0];
    }),
  );
  ipcMain.handle(
    IPC.revealInFileManager,
    guarded((_e, raw) => {
      const path = revealablePath(raw);
      if (!path) throw new Error('revealInFileManager needs an absolute path');
      shell.showItemInFolder(path);
    }),
  );
  ipcMain.handle(
    IPC.openExternal,
    guarded(async (_e, raw) => {
      const url = String(raw);
      if (!externalUrlAllowed(url)) throw new Error(`only http and https links can be opened (got "${url.slice(0, 40)}")`);
      await shell.openExternal(url);
    }),
  );
}

async function clusterUp(): Promise<boolean> {
  if (!client) return false;
  const s = await client.request<DaemonStatusReport>('GET', apiPath('status'));
  return s.cluster.phase !== 'Stopped';
}

/** Start (with the last profile) or stop the cluster, reporting a failure in a dialog. */
async function upDown(kind: 'up' | 'down'): Promise<void> {
  if (!client) return;
  let error: string | undefined;
  try {
    await client.stream('POST', apiPath(kind), {}, (line) => {
      const l = line as { type?: string; ok?: boolean; error?: string };
      if (l.type === 'result' && !l.ok) error = l.error ?? 'unknown error';
    });
  } catch (err) {
    error = (err as Error).message;
  }
  if (error) dialog.showErrorBox(kind === 'up' ? 'The cluster did not start' : 'The cluster did not stop cleanly', error);
  await refreshTray();
}

async function refreshTray(): Promise<void> {
  if (!tray) return;
  const up = await clusterUp().catch(() => false);
  const menu = Menu.buildFromTemplate([
    { label: 'Open Kyma Local', click: () => void openWindow() },
    { type: 'separator' },
    { label: 'Start cluster', enabled: !up, click: () => void upDown('up') },
    { label: 'Stop cluster', enabled: up, click: () => void upDown('down') },
    { type: 'separator' },
    { label: 'Quit', click: () => app.quit() },
  ]);
  tray.setContextMenu(menu);
  tray.setToolTip(`Kyma Local — cluster ${up ? 'running' : 'stopped'}`);
}

function appMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'Cluster',
        submenu: [
          { label: 'Open dashboard', accelerator: 'CmdOrCtrl+D', click: () => void openWindow() },
          { label: 'Start', click: () => void upDown('up') },
          { label: 'Stop', click: () => void upDown('down') },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

/** On quit: ask whether to stop the cluster too (the daemon keeps running either way, like after the CLI). */
async function confirmQuit(): Promise<boolean> {
  const up = await clusterUp().catch(() => false);
  if (!up) return true;
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Stop the cluster and quit', 'Quit, keep it running', 'Cancel'],
    defaultId: 1,
    cancelId: 2,
    message: 'The local cluster is still running.',
    detail: 'Stop it now, or keep it running in the background (kyma-local down stops it later).',
  });
  if (response === 2) return false;
  if (response === 0) await upDown('down');
  return true;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => void openWindow());
  await app.whenReady();
  registerIpc();
  appMenu();
  try {
    client = await connect();
  } catch (err) {
    dialog.showErrorBox('Kyma Local could not start its daemon', `${(err as Error).message}\n\nSee the daemon log in ${resolveStateDir()}.`);
    app.exit(1);
    return;
  }
  tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON));
  tray.on('click', () => void openWindow());
  await refreshTray();
  await openWindow();
  // Closing the window keeps the app in the tray; "Quit" (menu, tray, Cmd+Q) asks about the cluster.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => void openWindow());
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    void confirmQuit().then((ok) => {
      if (!ok) return;
      quitting = true;
      app.quit();
    });
  });
}

void main();
