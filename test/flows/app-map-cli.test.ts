// `kyma-local init --example order-flow` deploys offline and `kyma-local map` shows the whole flow with figures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppMap } from '../../main/core/api/index.js';
import { createTestHome, waitFor, type TestHome } from '../helpers/cli.js';

const FUNCTIONS = ['orders', 'payments', 'inventory', 'shipping'];

describe('the order-flow example and kyma-local map', () => {
  let home: TestHome;
  let dir: string;
  const map = async (): Promise<AppMap> => JSON.parse(String((await home.cli(['map', '-o', 'json'])).stdout)) as AppMap;
  const edge = (m: AppMap, id: string) => m.edges.find((e) => e.id === id);

  beforeAll(async () => {
    home = await createTestHome();
    dir = join(home.dir, 'order-flow');
    await home.cli(['init', '--example', 'order-flow', '--dir', dir]);
    await home.cli(['up', '--profile', await home.profile({ modules: ['telemetry', 'eventing', 'serverless'] })]);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('writes the example with a three-command README and no npm dependencies', async () => {
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    const commands = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
    expect(commands.map((c) => c.split(/\s+/).slice(0, 2).join(' '))).toEqual(['kyma-local up', 'kyma-local dev', 'kyma-local invoke']);
    for (const fn of FUNCTIONS) expect(JSON.parse(await readFile(join(dir, fn, 'package.json'), 'utf8')).dependencies).toEqual({});
    const again = await home.cli(['init', '--example', 'order-flow', '--dir', dir], { reject: false });
    expect(again.exitCode).not.toBe(0);
    expect(String(again.stderr)).toContain('Refusing to overwrite');
  });

  it('shows the declared flow, then the figures of real orders, as a tree', async () => {
    await home.cli(['dev', dir, '--detach']);
    await waitFor(async () => {
      const m = await map();
      return FUNCTIONS.every((f) => m.nodes.some((n) => n.id === `fn:default/${f}` && n.detail?.includes('1/1 ready'))) && m.edges.filter((e) => e.kind === 'deliver').length === 2;
    }, 'the four functions ready with both subscriptions', 60_000);
    const declared = await map();
    expect(declared.nodes.filter((n) => n.kind === 'event').map((n) => n.label).sort()).toEqual(['order.created.v1', 'order.paid.v1']);
    // api-gateway is not in this profile, so the dev loop leaves the APIRule of orders/config.yaml unapplied.
    expect(declared.nodes.find((n) => n.id === 'apirule:default/orders')).toBeUndefined();

    for (let i = 1; i <= 3; i++) await home.cli(['invoke', 'orders', '-d', JSON.stringify({ id: `o-${i}` })]);
    await home.cli(['invoke', 'orders', '-d', JSON.stringify({ id: 'fail-1' })]);
    await waitFor(async () => (edge(await map(), 'deliver:event:shop/order.paid.v1->fn:default/shipping')?.figures.count ?? 0) >= 3, 'three deliveries to shipping', 60_000);
    await waitFor(async () => (edge(await map(), 'deliver:event:shop/order.created.v1->fn:default/payments')?.figures.errors ?? 0) >= 1, 'the failing delivery', 60_000);
    const m = await map();
    expect(edge(m, 'http:entry:http->fn:default/orders')?.figures).toMatchObject({ count: 4, errors: 0 });
    expect(edge(m, 'publish:fn:default/orders->event:shop/order.created.v1')?.figures.count).toBe(4);
    expect(edge(m, 'http:fn:default/payments->fn:default/inventory')?.figures.count).toBeGreaterThanOrEqual(4);
    expect(edge(m, 'publish:fn:default/payments->event:shop/order.paid.v1')?.figures.count).toBe(3);
    const failing = edge(m, 'deliver:event:shop/order.created.v1->fn:default/payments')!;
    expect(failing.figures.count).toBeGreaterThanOrEqual(4);
    expect(failing.figures.p95Ms).toBeGreaterThan(0);
    expect(failing.links.traces).toEqual({ attr: { subscription: 'default/payments-order-created' } });

    const tree = String((await home.cli(['map'])).stdout);
    expect(tree).toMatch(/^HTTP clients/m);
    expect(tree).toMatch(/^└─ http 4 req · [\d.]+\/min · p95 [\d.]+ ms ▶ function default\/orders/m);
    expect(tree).toMatch(/^ {3}└─ publish 4 published .* ▶ event order\.created\.v1 \(source shop\)/m);
    expect(tree).toMatch(/^ {6}└─ deliver \d+ deliveries .* failed .*▶ function default\/payments/m);
    expect(tree).toMatch(/^ {9}├─ http \d+ req .*▶ function default\/inventory/m);
    expect(tree).toMatch(/^ {9}└─ publish 3 published .*▶ event order\.paid\.v1/m);
    expect(tree).toMatch(/^ {12}└─ deliver 3 deliveries .*▶ function default\/shipping/m);
  });
});
