import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHome, deployOrderFlow, waitFor, type TestHome } from '../helpers/cli.js';

interface EventRow {
  id: string;
  type: string;
  source: string;
  subscriptions: Array<{ namespace: string; name: string }>;
}

describe('an event flow: HTTP → function A → emitCloudEvent → publisher proxy → JetStream → function B', () => {
  let home: TestHome;
  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'eventing'] })]);
    await deployOrderFlow(
      home,
      join(home.dir, 'fns'),
      "let seen = []; module.exports = { main: async (event) => { if (event.data && event.data.id) seen.push(event.data.id); return seen; } };\n",
    );
    await waitFor(async () => (await home.cli(['invoke', 'orders', '--data', '{"id":0}'], { reject: false })).exitCode === 0, 'orders to serve', 30_000);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('delivers the event function A emits to function B, visible in the event inspector', async () => {
    expect(String((await home.cli(['invoke', 'orders', '--data', '{"id":42}'])).stdout).trim()).toBe('accepted');
    await waitFor(async () => String((await home.cli(['invoke', 'mailer'])).stdout).includes('42'), 'mailer to receive order 42', 45_000);
    const events = JSON.parse(String((await home.cli(['events', '--type', 'order.created.v1', '-o', 'json'])).stdout)) as EventRow[];
    const ev = events.find((e) => e.source === 'shop');
    expect(ev?.subscriptions).toEqual([{ namespace: 'default', name: 'mailer-orders' }]);
    const listed = String((await home.cli(['events', '--type', 'order.created.v1'])).stdout);
    expect(listed).toMatch(/SUBSCRIPTIONS\s+DELIVERY/);
    expect(listed).toMatch(new RegExp(`${ev!.id}.*default/mailer-orders\\s+delivered 200 \\d+ ms`));
    const ignored = String((await home.cli(['publish', '--type', 'order.ignored.v1', '--source', 'shop', '--data', '{}'])).stdout).split(' ')[1]!;
    expect(String((await home.cli(['events', '--type', 'order.ignored.v1'])).stdout)).toMatch(new RegExp(`${ignored}.*<none>\\s+no subscriber`));
    const detail = String((await home.cli(['event', ev!.id])).stdout);
    expect(detail).toMatch(/default\/mailer-orders attempt 1: success \(200/);
  });

  it('publishes from the CLI (CloudEvent and legacy) and replays with edited data', async () => {
    const pub = String((await home.cli(['publish', '--type', 'order.created.v1', '--source', 'shop', '--data', '{"id":7}'])).stdout);
    expect(pub).toMatch(/published \S+ \(subject kyma\.shop\.order\.created\.v1\)/);
    await waitFor(async () => String((await home.cli(['invoke', 'mailer'])).stdout).includes('7'), 'mailer to receive order 7', 45_000);
    const legacy = String((await home.cli(['publish', '--legacy', 'shop', '--type', 'order.created', '--data', '{"id":8}'])).stdout);
    expect(legacy).toMatch(/published legacy event/);
    await waitFor(async () => String((await home.cli(['invoke', 'mailer'])).stdout).includes('8'), 'mailer to receive the legacy order 8', 45_000);
    const id = pub.split(' ')[1]!;
    await home.cli(['replay', id, '--data', '{"id":99}']);
    await waitFor(async () => String((await home.cli(['invoke', 'mailer'])).stdout).includes('99'), 'mailer to receive the replayed order 99', 45_000);
  });
});
