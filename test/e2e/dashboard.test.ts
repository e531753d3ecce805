import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiToken, createTestHome, type TestHome } from '../helpers/cli.js';
import { CHROMIUM, UI_DIST, launchBrowser, screenshot, signIn, type Browser } from './browser.js';

// One daemon, one browser, one story: the steps build on each other like a user's session does.
const HANDLER = (greeting: string): string => `module.exports = {
  main: async function (event, context) {
    console.log('e2e-log ${greeting} ' + JSON.stringify(event.data));
    return { message: '${greeting}, ' + ((event.data && event.data.name) || 'world') };
  },
};
`;

const CONFIG = `schemaVersion: v1
name: hello
namespace: default
runtime: nodejs22
source:
  sourceType: inline
subscriptions:
  - name: hello-orders
    typeMatching: standard
    source: myapp
    types:
      - order.created.v1
`;

/** The page links in the sidebar (other links may share their names, e.g. the resource count cards). */
function nav(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
}

describe.skipIf(!existsSync(CHROMIUM))('dashboard in Chromium against a real daemon', () => {
  let home: TestHome;
  let browser: Browser;
  let page: Page;
  let url: string;
  let fnDir: string;

  beforeAll(async () => {
    if (!existsSync(UI_DIST)) throw new Error(`The dashboard is not built (${UI_DIST} missing) — run npm run build`);
    home = await createTestHome();
    const profile = await home.profile({ modules: ['serverless', 'eventing', 'telemetry'], name: 'e2e' });
    // Listed by /kl/v1/profiles, so the UI's profile picker offers it.
    await mkdir(join(home.dir, 'profiles'), { recursive: true });
    await copyFile(profile, join(home.dir, 'profiles', 'e2e.yaml'));
    await home.cli(['up', '--profile', profile], { timeout: 90_000 });
    // The UI starts the cluster itself below.
    await home.cli(['down']);
    url = (JSON.parse(readFileSync(join(home.dir, 'daemon.json'), 'utf8')) as { url: string }).url;
    const ui = await fetch(`${url}/ui/`);
    if (ui.status !== 200) throw new Error(`the daemon does not serve the dashboard (GET /ui/ → ${ui.status}): registerUiRoutes from main/core/daemon/http/static-ui.ts must be wired into the daemon`);
    fnDir = await mkdtemp(join(tmpdir(), 'kl-e2e-fn-'));
    await writeFile(join(fnDir, 'config.yaml'), CONFIG);
    await writeFile(join(fnDir, 'handler.js'), HANDLER('Hello'));
    await writeFile(join(fnDir, 'package.json'), JSON.stringify({ name: 'hello', version: '0.0.1', dependencies: {} }));
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(45_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await home?.cleanup();
    if (fnDir) await rm(fnDir, { recursive: true, force: true });
  }, 60_000);

  it('without a session the app says how to sign in; a login code works once and leaves the address bar', async () => {
    await page.goto(`${url}/ui/`);
    await expect.poll(() => page.getByText('Not signed in').isVisible()).toBe(true);
    await signIn(page, url, apiToken(home));
    expect(new URL(page.url()).pathname).toBe('/ui/');
    expect(page.url()).not.toContain('code=');
    const cookies = await browser.context.cookies(url);
    const cookie = cookies.find((c) => c.name === 'kl_token');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    await expect.poll(() => page.getByRole('heading', { name: 'Overview' }).isVisible()).toBe(true);
  });

  it('kyma-local dashboard --no-open prints a one-time link; neither code nor token reach the daemon log', async () => {
    const out = String((await home.cli(['dashboard', '--no-open'])).stdout);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/ui\/login\?code=[\w-]+)/.exec(out)?.[1];
    expect(link, out).toBeDefined();
    const other = await launchBrowser();
    try {
      await other.page.goto(link!);
      expect(new URL(other.page.url()).pathname).toBe('/ui/');
      await other.page.getByRole('heading', { name: 'Overview' }).waitFor();
      // Used once: the same link no longer signs anyone in.
      expect((await fetch(link!, { redirect: 'manual' })).status).toBe(401);
    } finally {
      await other.close();
    }
    const log = readFileSync(join(home.dir, 'daemon.log'), 'utf8');
    expect(log).not.toContain(new URL(link!).searchParams.get('code')!);
    expect(log).not.toContain(apiToken(home));
  });

  it('starts the cluster from the Overview page with per-module progress', async () => {
    await page.getByText('The cluster is stopped').waitFor();
    await page.getByRole('textbox', { name: 'Cluster profile' }).click();
    await page.getByRole('option', { name: /^e2e/ }).click();
    await page.getByRole('button', { name: 'Start cluster' }).click();
    await page.getByText('The cluster is up').waitFor({ timeout: 90_000 });
    const progress = page.getByRole('table', { name: 'Progress' });
    for (const m of ['nats', 'serverless', 'eventing', 'telemetry']) await progress.getByRole('row').filter({ hasText: m }).getByText('Ready').waitFor();
    await page.getByTestId('component-serverless').getByText('Ready').waitFor({ timeout: 90_000 });
    await page.getByTestId('component-eventing').getByText('Ready').waitFor();
    await page.getByTestId('component-telemetry').getByText('Ready').waitFor();
    await screenshot(page, 'overview');
  });

  it('adds a function folder and shows the function Running', async () => {
    await nav(page, 'Functions');
    await page.getByLabel('Function folder (absolute path)').fill(fnDir);
    await page.getByRole('button', { name: 'Add folder' }).click();
    const row = page.getByTestId('function-hello');
    await row.getByText('Running').waitFor({ timeout: 60_000 });
    await screenshot(page, 'functions');
  });

  it('shows a new revision with its save-to-ready latency after the file changes on disk', async () => {
    await page.getByRole('link', { name: 'hello', exact: true }).click();
    await page.getByTestId('revision-1').waitFor();
    await writeFile(join(fnDir, 'handler.js'), HANDLER('Howdy'));
    const rev2 = page.getByTestId('revision-2');
    await rev2.getByText('ready', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await rev2.getByTestId('revision-latency').innerText()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    expect(await page.getByTestId('source-folder').innerText()).toBe(fnDir);
  });

  it('invokes the function from the console, then finds its log line and its trace waterfall', async () => {
    await page.getByRole('button', { name: 'Invoke' }).click();
    const answer = page.getByTestId('invoke-answer');
    await answer.getByText('HTTP 200').waitFor();
    expect(await answer.innerText()).toContain('Howdy, Kyma');
    await page.getByTestId('function-logs').getByText('e2e-log Howdy').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'function-detail');
    await answer.getByRole('link', { name: 'Open trace' }).click();
    await page.getByTestId('waterfall').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('span-row').count()).toBeGreaterThan(0);
    await page.getByTestId('trace-logs').getByText('e2e-log Howdy').waitFor({ timeout: 30_000 });
    await screenshot(page, 'trace');
  });

  it('starts debugging from the function page and shows where to attach, then stops it', async () => {
    await nav(page, 'Functions');
    await page.getByRole('link', { name: 'hello', exact: true }).click();
    const panel = page.getByTestId('debug-panel');
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    await panel.getByLabel('Inspector port').fill(String(port));
    await panel.getByRole('button', { name: 'Debug' }).click();
    await panel.getByRole('button', { name: 'Stop debugging' }).waitFor({ timeout: 60_000 });
    const text = await panel.innerText();
    expect(text).toContain(`127.0.0.1:${port}`);
    expect(text).toContain(join(fnDir, 'handler.js'));
    expect(text).toContain('"request": "attach"');
    await screenshot(page, 'function-debug');
    await panel.getByRole('button', { name: 'Stop debugging' }).click();
    await panel.getByRole('button', { name: 'Debug' }).waitFor({ timeout: 60_000 });
  });

  it('shows the log line live on the Logs page and its structured fields', async () => {
    await nav(page, 'Logs');
    await page.getByTestId('log-row').filter({ hasText: 'e2e-log Howdy' }).first().click();
    const detail = page.getByTestId('log-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('hello');
    await screenshot(page, 'logs');
  });

  it('publishes an event and shows its delivery to the subscription', async () => {
    await nav(page, 'Events');
    await page.getByRole('button', { name: 'Publish event' }).click();
    const detail = page.getByTestId('event-detail');
    await detail.waitFor();
    const delivery = detail.getByTestId('delivery').filter({ hasText: 'default/hello-orders' });
    await delivery.getByText('delivered').waitFor({ timeout: 30_000 });
    await page.getByTestId('events-table').getByText('order.created.v1').first().waitFor();
    await screenshot(page, 'events');
  });

  it('shows the validation error of an invalid manifest at its field in the YAML editor', async () => {
    await nav(page, 'Resources');
    await page.getByRole('link', { name: 'New Function' }).click();
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(
      'apiVersion: serverless.kyma-project.io/v1alpha2\nkind: Function\nmetadata:\n  name: broken\n  namespace: default\nspec:\n  runtime: nodejs12\n  source:\n    inline:\n      source: "module.exports = { main: () => 1 }"\n',
    );
    await page.getByRole('button', { name: 'Apply' }).click();
    const errors = page.getByTestId('field-errors');
    await errors.waitFor();
    const text = await errors.innerText();
    expect(text).toContain('line 7');
    expect(text).toContain('spec.runtime');
    // The field itself is marked in the editor.
    expect(await page.locator('.cm-lintRange-error').first().innerText()).toContain('runtime: nodejs12');
    await screenshot(page, 'resources-field-error');
  });

  it('renders the Metrics page and the Overview counts', async () => {
    await nav(page, 'Metrics');
    await page.getByRole('heading', { name: 'Metrics', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'hello' }).waitFor();
    await screenshot(page, 'metrics');
    await nav(page, 'Overview');
    await expect.poll(() => page.getByTestId('count-Function').innerText(), { timeout: 15_000 }).toBe('1');
    expect(await page.getByTestId('count-Subscription').innerText()).toBe('1');
  });

  it('follows the system dark preference', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('dark');
    await screenshot(page, 'overview-dark');
    await nav(page, 'Events');
    await page.getByTestId('events-table').waitFor();
    await screenshot(page, 'events-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
