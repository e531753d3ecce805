import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiToken, createTestHome, waitFor, writeFunction, type TestHome } from '../helpers/cli.js';
import { CHROMIUM, UI_DIST, launchBrowser, screenshot, signIn, type Browser } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('dashboard Overview: Save and Load snapshots', () => {
  let home: TestHome;
  let browser: Browser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(UI_DIST)) throw new Error(`The dashboard is not built (${UI_DIST} missing) — run npm run build`);
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless'], name: 'snapui' })], { timeout: 90_000 });
    await writeFunction(join(home.dir, 'fns', 'hello'), 'name: hello\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n', "module.exports = { main: async () => 'hi' };\n");
    await home.cli(['dev', join(home.dir, 'fns'), '--detach']);
    await waitFor(async () => (await home.cli(['invoke', 'hello'], { reject: false })).stdout.includes('hi'), 'hello to serve', 30_000);
    url = (JSON.parse(readFileSync(join(home.dir, 'daemon.json'), 'utf8')) as { url: string }).url;
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(60_000);
    await signIn(page, url, apiToken(home));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await home?.cleanup();
  }, 60_000);

  it('saves a snapshot with progress and a download link, and loads it back over the cluster', async () => {
    const card = page.getByLabel('Snapshots');
    await card.getByRole('button', { name: 'Save snapshot' }).click();
    const saved = card.getByRole('status');
    await expect.poll(() => saved.textContent(), { timeout: 60_000 }).toMatch(/^Saved snapshot-[\d-]+\.kyma \([\d.]+ KiB\)\. Download$/);
    expect(await card.getByRole('log', { name: 'Snapshot progress' }).textContent()).toContain('· npm dependency cache');
    const name = /Saved (\S+\.kyma)/.exec((await saved.textContent()) ?? '')![1]!;
    expect(readdirSync(join(home.dir, 'snapshots'))).toContain(name);
    const href = await card.getByRole('link', { name: 'Download' }).getAttribute('href');
    expect(href).toBe(`/kl/v1/snapshot/files/${name}`);

    // Without "replace" the non-empty cluster is refused, with the reason.
    await card.getByRole('textbox', { name: 'Snapshot' }).click();
    await page.getByRole('option', { name: new RegExp(name.replace(/\./g, '\\.')) }).click();
    await card.getByRole('button', { name: 'Load snapshot' }).click();
    await expect.poll(() => card.getByRole('alert').textContent()).toContain('this cluster is not empty');

    // A file from elsewhere is uploaded into the home's snapshots folder and picked.
    await card.locator('input[type=file]').setInputFiles({ name: 'from colleague.kyma', mimeType: 'application/gzip', buffer: readFileSync(join(home.dir, 'snapshots', name)) });
    await expect.poll(() => card.getByRole('textbox', { name: 'Snapshot' }).inputValue()).toMatch(/^from-colleague\.kyma \(/);
    expect(readdirSync(join(home.dir, 'snapshots'))).toContain('from-colleague.kyma');

    await card.getByLabel('replace what is there').check();
    await card.getByRole('button', { name: 'Load snapshot' }).click();
    await expect.poll(async () => (await card.getByRole('status').textContent())?.trim(), { timeout: 90_000 }).toBe('Loaded from-colleague.kyma: 1/1 function(s) Ready.');
    expect(await card.getByRole('log', { name: 'Snapshot progress' }).textContent()).toContain('· functions ready: 1/1');
    await screenshot(page, 'snapshot-overview');
    expect(String((await home.cli(['invoke', 'hello'])).stdout)).toContain('hi');
  });
});
