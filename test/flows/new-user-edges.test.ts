// The rough edges a new user hit (issue 17), each checked the way the user met it: through the CLI and kubectl.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiToken, CLI, createTestHome, statusJson, waitFor, writeFunction, type TestHome } from '../helpers/cli.js';

const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const APIRULE = `apiVersion: gateway.kyma-project.io/v2
kind: APIRule
metadata:
  name: orders-api
spec:
  hosts: [orders]
  service: { name: echo, port: 80 }
  rules:
    - path: /*
      methods: [GET]
      noAuth: true
---
apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: shop
spec: {}
`;

const ECHO = `module.exports = { main: async (event) => {
  const h = event.extensions.request.headers;
  if (event.extensions.request.query.fail) throw new Error('boom from the handler');
  return { origin: h.origin || null, auth: h.authorization || null };
} };
`;

describe('rough edges a new user hit', () => {
  let home: TestHome;
  let fnDir: string;
  const json = async (args: string[]): Promise<Record<string, unknown>> => JSON.parse(String((await home.cli(args)).stdout)) as Record<string, unknown>;

  beforeAll(async () => {
    home = await createTestHome();
    await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'eventing'] })]);
    fnDir = join(home.dir, 'app', 'echo');
    await writeFunction(fnDir, 'name: echo\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n', ECHO);
    await home.cli(['dev', join(home.dir, 'app'), '--detach']);
    await waitFor(async () => (await home.cli(['invoke', 'echo'], { reject: false })).exitCode === 0, 'echo to serve', 30_000);
  });
  afterAll(async () => {
    await home.cleanup();
  });

  it('1: an APIRule and an Application without their module get a status saying so, and apply warns', async () => {
    const file = join(home.dir, 'exposed.yaml');
    await writeFile(file, APIRULE);
    const r = await home.cli(['apply', '-f', file]);
    expect(String(r.stderr)).toContain('Warning: apirule default/orders-api: the api-gateway module is not enabled in profile test');
    expect(String(r.stderr)).toContain('Warning: application shop: the application-connector module is not enabled in profile test');
    await waitFor(async () => (await json(['get', 'apirule', 'orders-api', '-o', 'json'])).status !== undefined, 'the APIRule status', 15_000);
    const rule = await json(['get', 'apirule', 'orders-api', '-o', 'json']);
    expect(rule.status).toMatchObject({ state: 'Warning', description: expect.stringContaining('api-gateway module is not enabled') });
    expect(String((await home.cli(['get', 'apirules'])).stdout)).toMatch(/orders-api\s+Warning\s+orders/);
    await waitFor(async () => (await json(['get', 'application', 'shop', '-o', 'json'])).status !== undefined, 'the Application status', 15_000);
    const app = await json(['get', 'application', 'shop', '-o', 'json']);
    expect(app.status).toMatchObject({ conditions: [{ type: 'Ready', status: 'False', reason: 'ModuleNotEnabled', message: expect.stringContaining('application-connector') }] });
  });

  it.skipIf(!kubectl)('2: kyma-local apply and kubectl apply take turns on the same objects without warnings', async () => {
    const kc = join(home.dir, 'kubeconfig');
    await home.cli(['kubeconfig', '--write', kc]);
    const k = (args: string[]) => execa(kubectl!, ['--kubeconfig', kc, '--cache-dir', join(home.dir, 'kube-cache'), ...args], { env: { HOME: home.dir }, reject: false });
    const file = join(home.dir, 'cm.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: turns\ndata:\n  a: "1"\n  b: "2"\n');
    expect(String((await home.cli(['apply', '-f', file])).stdout)).toContain('configmap default/turns created');
    const cm = await json(['get', 'cm', 'turns', '-o', 'json']);
    expect(JSON.parse((cm.metadata as { annotations: Record<string, string> }).annotations[LAST_APPLIED]!)).toMatchObject({ kind: 'ConfigMap', data: { a: '1', b: '2' } });
    const again = await k(['apply', '-f', file]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('configmap/turns unchanged');
    // kubectl drops b; kyma-local then changes a: b stays dropped, and a key someone else added survives.
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: turns\ndata:\n  a: "1"\n');
    expect((await k(['apply', '-f', file])).stdout).toContain('configmap/turns configured');
    await k(['patch', 'cm', 'turns', '--type=merge', '-p', '{"data":{"other":"x"}}']);
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: turns\ndata:\n  a: "3"\n');
    expect(String((await home.cli(['apply', '-f', file])).stdout)).toContain('configmap default/turns configured');
    expect((await json(['get', 'cm', 'turns', '-o', 'json'])).data).toEqual({ a: '3', other: 'x' });
    const last = await k(['apply', '-f', file]);
    expect(last.stderr).toBe('');
    expect(last.stdout).toContain('configmap/turns unchanged');
  });

  it('4: Ctrl-C on a foreground dev leaves an earlier detached watch of the same folder running', async () => {
    const dev = execa(process.execPath, [CLI, 'dev', join(home.dir, 'app')], { env: home.env, reject: false });
    let err = '';
    dev.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    await waitFor(() => err.includes('Ctrl-C'), 'the foreground session to start', 30_000);
    expect(err).toContain(`Attaching to the daemon's existing watch of ${join(home.dir, 'app')}`);
    dev.kill('SIGINT');
    expect((await dev).exitCode).toBe(0);
    const url = (await statusJson(home)).daemon!.url;
    const res = await fetch(`${url}/kl/v1/dev`, { headers: { Authorization: `Bearer ${apiToken(home)}` } });
    expect(((await res.json()) as { items: Array<{ dir: string }> }).items.map((i) => i.dir)).toEqual([fnDir]);
  });

  it('5 and 6: event ID shows headers and has -o json|yaml; events --failed with nothing failed says so', async () => {
    // Published over HTTP by an app, as a binary-mode CloudEvent with a header of its own.
    const publisher = (await statusJson(home)).cluster!.components.find((c) => c.name === 'eventing')!.urls!.publisher!;
    const id = crypto.randomUUID();
    const sent = await fetch(publisher, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': 'order.created.v1', 'ce-source': 'shop', 'ce-id': id, 'x-shop-request': 'r-42' },
      body: '{"id":7}',
    });
    expect(sent.status).toBeLessThan(300);
    const text = String((await home.cli(['event', id])).stdout);
    expect(text).toMatch(/^headers:$/m);
    expect(text).toMatch(/^ {2}x-shop-request: r-42$/m);
    const asJson = await json(['event', id, '-o', 'json']);
    expect(asJson).toMatchObject({ id, type: 'order.created.v1', source: 'shop', data: { id: 7 }, headers: expect.any(Object) });
    expect(parse(String((await home.cli(['event', id, '-o', 'yaml'])).stdout))).toMatchObject({ id, data: { id: 7 } });
    const failed = await home.cli(['events', '--failed']);
    expect(String(failed.stderr)).toMatch(/Nothing failed: none of the [1-9]\d* event\(s\) in the inspector failed or was dead-lettered/);
  });

  it('7: invoke carries any header to the function (CORS preflight with Origin) and always prints the time', async () => {
    const pre = await home.cli(['invoke', 'echo', '-X', 'OPTIONS', '-H', 'Origin=http://x', '-H', 'Access-Control-Request-Method=PUT', '-i']);
    expect(String(pre.stdout)).toMatch(/^HTTP 200/);
    expect(String(pre.stdout)).toMatch(/^access-control-allow-methods: PUT$/m);
    expect(String(pre.stderr)).toMatch(/^200 in \d+(\.\d+)? ms$/m);
    const seen = await home.cli(['invoke', 'echo', '-H', 'Origin=http://x', '-H', 'Authorization=Bearer fn-token']);
    expect(JSON.parse(String(seen.stdout))).toEqual({ origin: 'http://x', auth: 'Bearer fn-token' });
    const missing = await home.cli(['invoke', 'nope'], { reject: false });
    expect(String(missing.stderr)).toMatch(/^\d{3} in \d+(\.\d+)? ms/m);
  });

  it('9: status and get functions -o wide show the URLs and a curl line that works', async () => {
    const status = String((await home.cli(['status'])).stdout);
    expect(status).toMatch(/default\/echo\s+\d+\s+1\/1\s+http:\/\/echo\.default\.svc\.cluster\.local\s+http:\/\/127\.0\.0\.1:\d+ \(Host: echo\.default\.svc\.cluster\.local\)/);
    const wide = String((await home.cli(['get', 'functions', '-o', 'wide'])).stdout);
    expect(wide).toMatch(/^NAME\s+.*IN-CLUSTER URL\s+FROM THIS MACHINE$/m);
    const curl = /^# (curl -H 'Host: echo\.default\.svc\.cluster\.local' http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(wide)![1]!;
    expect(status).toContain(curl);
    const r = await execa('sh', ['-c', `${curl} -s -H 'Authorization: Bearer via-curl'`]);
    expect(JSON.parse(r.stdout)).toMatchObject({ auth: 'Bearer via-curl' });
    // The mesh is for workers and tools: a cross-site browser Origin on it is refused (issue 16).
    const browser = await execa('sh', ['-c', `${curl} -s -o /dev/null -w '%{http_code}' -H 'Origin: http://y'`]);
    expect(browser.stdout).toBe('403');
  });

  it("10: a failed handler's stack in the logs names the user's file, not the revision copy", async () => {
    const r = await home.cli(['invoke', 'echo', '--path', '/?fail=1'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    await waitFor(async () => String((await home.cli(['logs', '--grep', 'boom from the handler'])).stdout).includes('handler.js'), 'the stack in the logs', 15_000);
    const logs = String((await home.cli(['logs', '--grep', 'boom from the handler'])).stdout);
    expect(logs).toContain(`${join(fnDir, 'handler.js')}:3:`);
    expect(logs).not.toMatch(/rev-\d+\/handler\.js/);
  });
});
