import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, startExternalSystem, type ExternalSystem } from '../app-connector/targets.js';
import { apiToken, createTestHome, type TestHome } from '../helpers/cli.js';
import { CHROMIUM, UI_DIST, launchBrowser, screenshot, signIn, type Browser } from './browser.js';

const manifests = (sys: ExternalSystem): string => `apiVersion: v1
kind: Secret
metadata:
  name: shop-basic
  namespace: kyma-system
stringData:
  username: ${BASIC.user}
  password: ${BASIC.password}
---
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  displayName: Shop
  services:
    - id: orders
      name: orders
      displayName: Orders API
      entries:
        - type: API
          name: orders
          targetUrl: ${sys.url}/basic
          specificationUrl: ${sys.url}/spec/openapi.json
          credentials:
            type: Basic
            secretName: shop-basic
    - id: events
      name: events
      displayName: Shop Events
      entries:
        - type: Events
---
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: erp
spec:
  services:
    - id: invoices
      name: invoices
      displayName: Invoices
      entries:
        - type: API
          targetUrl: ${sys.url}/bearer
          credentials:
            type: OAuth
            secretName: erp-oauth
            authenticationUrl: ${sys.url}/oauth/token
`;

function nav(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
}

describe.skipIf(!existsSync(CHROMIUM))('the Applications page in Chromium against a real daemon', () => {
  let home: TestHome;
  let sys: ExternalSystem;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(UI_DIST)) throw new Error(`The dashboard is not built (${UI_DIST} missing) — run npm run build`);
    sys = await startExternalSystem();
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['application-connector'] })], { timeout: 90_000 });
    const file = join(home.dir, 'apps.yaml');
    await writeFile(file, manifests(sys));
    await home.cli(['apply', '-f', file]);
    browser = await launchBrowser();
    const url = (JSON.parse(readFileSync(join(home.dir, 'daemon.json'), 'utf8')) as { url: string }).url;
    await signIn(browser.page, url, apiToken(home));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await home?.cleanup();
    await sys?.close();
  });

  it('lists Applications with gateway URLs, masked credentials, state, spec, console and recent calls', async () => {
    const page = browser.page;
    await nav(page, 'Applications');
    const shop = page.getByTestId('application-shop');
    await expect.poll(() => shop.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => shop.textContent()).toContain('http://central-application-gateway.kyma-system:8080/shop/orders-api');
    const shopText = (await shop.textContent()) ?? '';
    expect(shopText).toContain('shop-basic');
    expect(shopText).toContain('••••••');
    const erp = page.getByTestId('application-erp');
    await expect.poll(() => erp.textContent()).toContain('Secret kyma-system/erp-oauth not found');
    expect(await page.content()).not.toContain(BASIC.password);

    await shop.getByRole('button', { name: 'Spec' }).click();
    const spec = page.getByTestId('spec-shop-orders-api');
    await expect.poll(() => spec.textContent(), { timeout: 10_000 }).toContain('/orders/{id}');
    await spec.getByRole('button', { name: 'Try' }).click();
    await shop.getByRole('button', { name: 'Call' }).click();
    const answer = shop.getByTestId('gateway-answer');
    await expect.poll(() => answer.textContent(), { timeout: 10_000 }).toContain('HTTP 200');
    expect(await answer.textContent()).toContain('/basic/orders/1');
    await expect.poll(() => shop.getByRole('table', { name: 'Recent gateway calls' }).textContent(), { timeout: 10_000 }).toContain('GET /basic/orders/1');
    await screenshot(page, 'applications');
  });
});
