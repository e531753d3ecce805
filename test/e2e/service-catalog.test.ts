import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createTestHome, waitFor, type TestHome } from '../helpers/cli.js';
import { applyYaml, getJson, secretData } from '../services/helpers.js';
import { CHROMIUM, UI_DIST, launchBrowser, screenshot, signIn, type Browser } from './browser.js';

// The Service Catalog page: offerings → plans → instances → bindings, with credentials masked until revealed.
// redis keeps it quick (a PGlite instance takes tens of seconds on this machine).
describe.skipIf(!existsSync(CHROMIUM) || !existsSync('/usr/bin/redis-server'))('Service Catalog page in Chromium', () => {
  let home: TestHome;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(UI_DIST)) throw new Error(`The dashboard is not built (${UI_DIST} missing) — run npm run build`);
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['btp-operator'], name: 'catalog' })], { timeout: 90_000 });
    url = (JSON.parse(readFileSync(join(home.dir, 'daemon.json'), 'utf8')) as { url: string }).url;
    await applyYaml(
      home,
      `apiVersion: services.cloud.sap.com/v1
kind: ServiceInstance
metadata: { name: cache }
spec: { serviceOfferingName: redis, servicePlanName: dev }
---
apiVersion: services.cloud.sap.com/v1
kind: ServiceBinding
metadata: { name: cache-binding }
spec: { serviceInstanceName: cache }
---
apiVersion: services.cloud.sap.com/v1
kind: ServiceInstance
metadata: { name: typo }
spec: { serviceOfferingName: postgres, servicePlanName: dev }
`,
    );
    await waitFor(async () => (await getJson(home, 'servicebinding', 'cache-binding'))?.status?.ready === 'True', 'the redis binding', 60_000);
    browser = await launchBrowser();
    await signIn(browser.page, url, apiToken(home));
  });

  afterAll(async () => {
    await browser?.close();
    await home?.cleanup();
  });

  it('shows offerings, instances with their state, and masks credentials until Reveal', async () => {
    const page = browser.page;
    const password = (await secretData(home, 'cache-binding')).password!;
    await page.goto(`${url}/ui/services`);
    const offerings = page.getByRole('table', { name: 'Offerings of broker local' });
    await offerings.getByRole('cell', { name: 'nats-kv', exact: true }).waitFor();
    for (const o of ['postgresql', 'redis', 'nats-kv']) await expect(offerings.getByRole('cell', { name: o, exact: true }).count()).resolves.toBe(1);
    const instances = page.getByRole('table', { name: 'Service instances' });
    await instances.getByText('CreateFailed').waitFor();
    await expect(instances.getByText('Created', { exact: true }).count()).resolves.toBeGreaterThan(0);
    expect(await page.content()).not.toContain(password);
    await screenshot(page, 'service-catalog-masked');
    await page.getByRole('button', { name: 'Reveal credentials of cache-binding' }).click();
    await page.getByText(`password: ${password}`).waitFor();
    await screenshot(page, 'service-catalog-revealed');
    await page.getByRole('button', { name: 'Hide' }).click();
    await waitFor(async () => !(await page.content()).includes(password), 'the credentials to be hidden again', 5000);
  });
});
