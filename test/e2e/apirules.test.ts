// The dashboard's API Rules page in Chromium: a jwt rule, try-it without and with a token from the local issuer, the
// access log of those calls, and the function page naming the rule that exposes it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, statusJson, waitFor, writeFunction, type TestHome } from '../helpers/cli.js';
import { apiRule, applyYaml } from '../gateway/gateway-helpers.js';
import { CHROMIUM, UI_DIST, launchBrowser, screenshot, signIn, type Browser } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM) || !existsSync(UI_DIST))('dashboard: API Rules', () => {
  let home: TestHome;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'api-gateway', 'telemetry'] })]);
    const status = await statusJson(home);
    url = status.daemon!.url;
    const issuer = status.cluster!.components.find((c) => c.name === 'api-gateway')!.urls!.issuer!;
    await writeFunction(join(home.dir, 'fns', 'orders'), 'name: orders\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n', "module.exports = { main: () => ({ orders: [1, 2] }) };\n");
    await home.cli(['dev', join(home.dir, 'fns'), '--detach']);
    await waitFor(async () => (await home.cli(['invoke', 'orders'], { reject: false })).exitCode === 0, 'orders to serve', 30_000);
    await applyYaml(home, apiRule('orders', 'orders', [{ path: '/*', methods: ['GET'], jwt: { authentications: [{ issuer, jwksUri: `${issuer}/jwks` }], authorizations: [{ requiredScopes: ['read'] }] } }]));
    browser = await launchBrowser();
    await signIn(browser.page, url, apiToken(home));
  });
  afterAll(async () => {
    await browser?.close();
    await home?.cleanup();
  });

  it('shows the rule with its URL and access, and tries it without and with a token', async () => {
    const page = browser.page;
    await page.goto(`${url}/ui/apirules`);
    const card = page.getByTestId('apirule-orders');
    await card.getByText('Ready').waitFor();
    await expect(card.getByText(/http:\/\/orders\.localhost:\d+\//).first().isVisible()).resolves.toBe(true);
    await expect(card.getByText(/jwt \(http:\/\/127\.0\.0\.1:\d+\/oidc\): scope read/).isVisible()).resolves.toBe(true);

    await card.getByRole('button', { name: 'Send' }).click();
    await card.getByTestId('try-answer').getByText('HTTP 403').waitFor();
    await card.getByLabel('with a token').check();
    await card.getByLabel('Scopes').fill('read');
    await card.getByRole('button', { name: 'Send' }).click();
    await card.getByTestId('try-answer').getByText('HTTP 200').waitFor();
    await expect(card.getByTestId('try-answer').textContent()).resolves.toContain('"orders"');
    // Both calls land in the access log shown on the card.
    await card.getByText('no JWT in the request').waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByTestId('token').waitFor();
    await expect(page.getByTestId('token').textContent()).resolves.toMatch(/^ey/);
    await screenshot(page, 'apirules');

    await page.goto(`${url}/ui/functions/default/orders`);
    await page.getByTestId('exposing-rules').getByText('APIRule default/orders').waitFor();
    await screenshot(page, 'function-exposed-by');
  });
});
