import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO } from '../helpers/cli.js';

/** Debian's chromium; playwright-core never downloads a browser here. */
export const CHROMIUM = process.env.KYMA_LOCAL_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO, 'test-output', 'screenshots');
export const UI_DIST = join(REPO, 'renderer', 'dist', 'index.html');

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh Chromium profile at 1280×800 (the size the dashboard must read well at). */
export async function launchBrowser(opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} — install it (apt-get install chromium) or set KYMA_LOCAL_CHROMIUM`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'kl-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Signs the browser in the way `kyma-local dashboard` does: a single-use code exchanged for the cookie. */
export async function signIn(page: Page, daemonUrl: string, token: string): Promise<void> {
  const res = await fetch(`${daemonUrl}/kl/v1/ui/login-code`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`login-code answered ${res.status}: ${await res.text()}`);
  const { path } = (await res.json()) as { path: string };
  await page.goto(`${daemonUrl}${path}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
