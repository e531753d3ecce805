// The app map in Chromium: the order-flow example started from Overview, figures rising with orders, a click on
// an edge opening its traces; screenshots in light and dark.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiToken, createTestHome, waitFor, type TestHome } from '../helpers/cli.js';
import { CHROMIUM, UI_DIST, launchBrowser, screenshot, signIn, type Browser } from './browser.js';

const FUNCTIONS = ['orders', 'payments', 'inventory', 'shipping'];
const CREATED_TO_PAYMENTS = 'deliver:event:shop/order.created.v1->fn:default/payments';

async function edgeCount(page: Page, id: string): Promise<number> {
  const v = await page.locator(`[data-edge="${id}"]`).getAttribute('data-count');
  return Number(v ?? 0);
}

describe.skipIf(!existsSync(CHROMIUM))('the app map in Chromium', () => {
  let home: TestHome;
  let browser: Browser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(UI_DIST)) throw new Error(`The dashboard is not built (${UI_DIST} missing) — run npm run build`);
    home = await createTestHome();
    // "Start from an example" writes to ~/kyma-local-examples: keep this test's ~ in its own home.
    home.env.HOME = home.dir;
    await home.cli(['up', '--profile', await home.profile({ modules: ['telemetry', 'eventing', 'serverless'], name: 'map' })], { timeout: 90_000 });
    url = (JSON.parse(readFileSync(join(home.dir, 'daemon.json'), 'utf8')) as { url: string }).url;
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(45_000);
    await signIn(page, url, apiToken(home));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await home?.cleanup();
  });

  it('starts the order-flow example from Overview and maps every function and both event types', async () => {
    await page.getByRole('button', { name: 'Start from an example' }).click();
    await expect.poll(() => page.getByTestId('example-result').textContent(), { timeout: 45_000 }).toContain('kyma-local-examples/order-flow');
    expect(existsSync(join(home.dir, 'kyma-local-examples', 'order-flow', 'payments', 'handler.js'))).toBe(true);
    await page.getByRole('link', { name: 'Open the app map' }).click();
    for (const f of FUNCTIONS) await page.locator(`[data-node="fn:default/${f}"]`).waitFor({ timeout: 60_000 });
    await page.locator('[data-node="event:shop/order.created.v1"]').waitFor();
    await page.locator('[data-node="event:shop/order.paid.v1"]').waitFor();
    expect(await page.locator('[data-kind="event"]').count()).toBe(2);
    expect(await page.locator(`[data-edge="${CREATED_TO_PAYMENTS}"]`).count()).toBe(1);
  });

  it('raises the edge counts after 10 orders without moving the boxes, and a click opens matching traces', async () => {
    // Every function ready before the orders go in.
    await waitFor(async () => {
      const r = await home.cli(['get', 'functions', '-o', 'json']);
      const items = (JSON.parse(String(r.stdout)) as { items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> }).items;
      return items.length === 4 && items.every((f) => f.status?.conditions?.some((c) => c.type === 'Running' && c.status === 'True'));
    }, 'the four functions running', 60_000);
    // A first order brings the observed-only parts (the HTTP entry point) onto the map; after that it is complete.
    await home.cli(['invoke', 'orders', '-d', JSON.stringify({ id: 'o-0' })]);
    await page.locator('[data-edge="http:entry:http->fn:default/orders"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => edgeCount(page, 'deliver:event:shop/order.paid.v1->fn:default/shipping'), { timeout: 60_000 }).toBe(1);
    const before = await edgeCount(page, CREATED_TO_PAYMENTS);
    const box = await page.locator('[data-node="fn:default/payments"]').getAttribute('data-pos');
    for (let i = 1; i <= 9; i++) await home.cli(['invoke', 'orders', '-d', JSON.stringify({ id: `o-${i}` })]);
    await home.cli(['invoke', 'orders', '-d', JSON.stringify({ id: 'fail-10' })]);
    await expect.poll(() => edgeCount(page, CREATED_TO_PAYMENTS), { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 10);
    await expect.poll(() => edgeCount(page, 'deliver:event:shop/order.paid.v1->fn:default/shipping'), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
    await expect.poll(() => page.locator(`[data-edge="${CREATED_TO_PAYMENTS}"]`).getAttribute('data-health'), { timeout: 60_000 }).toMatch(/error|warning/);
    // Live figures re-render in place: the layout did not move.
    expect(await page.locator('[data-node="fn:default/payments"]').getAttribute('data-pos')).toBe(box);
    await screenshot(page, 'app-map-light');

    await page.locator(`[data-edge="${CREATED_TO_PAYMENTS}"]`).click();
    await expect.poll(() => page.getByTestId('map-details').textContent()).toContain('order.created.v1 → payments');
    await page.getByRole('button', { name: 'Open traces' }).click();
    await expect.poll(() => page.getByTestId('trace-attr-filter').textContent()).toBe('subscription=default/payments-order-created');
    const table = page.getByRole('table', { name: 'Traces' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
    // Every trace listed went through that delivery: all carry payments among their services.
    const services = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(services.every((s) => s.includes('payments'))).toBe(true);
  });

  it('reads in dark mode too', async () => {
    const dark = await launchBrowser({ colorScheme: 'dark' });
    try {
      dark.page.setDefaultTimeout(45_000);
      await signIn(dark.page, url, apiToken(home));
      await dark.page.goto(`${url}/ui/map`);
      await dark.page.locator('[data-node="fn:default/shipping"]').waitFor();
      expect(await dark.page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('dark');
      await screenshot(dark.page, 'app-map-dark');
    } finally {
      await dark.close();
    }
  });
});
