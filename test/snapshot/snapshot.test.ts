import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packSnapshot, SNAPSHOT_FORMAT } from '../../main/core/snapshot/index.js';
import { createTestHome, profileYaml, statusJson, waitFor, writeFunction, type TestHome } from '../helpers/cli.js';

interface EventRow {
  id: string;
  type: string;
  source: string;
}

/** A loopback port nothing listens on: npm pointed at it finds no registry. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

const MODULES = ['serverless', 'eventing', 'telemetry'];

describe('snapshot save → load into another home with the npm registry unreachable', () => {
  let a: TestHome;
  let b: TestHome;
  let file: string;
  let greeter: string;
  let eventId: string;
  let traceCount: number;

  beforeAll(async () => {
    a = await createTestHome();
    b = await createTestHome();
    // A dependency npm installs from a local folder: deleting the folder later proves the restore installs nothing.
    greeter = join(a.dir, 'local-greeter');
    await mkdir(greeter, { recursive: true });
    await writeFile(join(greeter, 'package.json'), '{"name":"local-greeter","version":"1.0.0","main":"index.js"}\n');
    await writeFile(join(greeter, 'index.js'), "module.exports = (who) => `hello ${who}`;\n");
    await a.cli(['up', '--profile', await a.profile({ modules: MODULES, name: 'demo' })]);
    const root = join(a.dir, 'fns');
    await writeFunction(
      join(root, 'orders'),
      'name: orders\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\n',
      "module.exports = { main: async (event) => { await event.emitCloudEvent('order.created.v1', 'shop', { id: event.data.id }); return 'accepted'; } };\n",
    );
    await writeFunction(
      join(root, 'mailer'),
      'name: mailer\nnamespace: default\nruntime: nodejs22\nsource:\n  sourceType: inline\nsubscriptions:\n  - name: mailer-orders\n    source: shop\n    types:\n      - order.created.v1\n',
      "const greet = require('local-greeter'); module.exports = { main: async (event) => greet(event.data && event.data.id ? 'order ' + event.data.id : 'nobody') };\n",
    );
    await writeFile(join(root, 'mailer', 'package.json'), JSON.stringify({ name: 'mailer', version: '1.0.0', dependencies: { 'local-greeter': `file:${greeter}` } }) + '\n');
    await a.cli(['dev', root, '--detach']);
    await waitFor(async () => (await a.cli(['invoke', 'mailer'], { reject: false })).stdout.includes('hello nobody'), 'mailer (with its dependency) to serve', 60_000);
    await waitFor(async () => (await a.cli(['invoke', 'orders', '--data', '{"id":1}'], { reject: false })).exitCode === 0, 'orders to serve', 30_000);
    await waitFor(async () => {
      const events = JSON.parse(String((await a.cli(['events', '--type', 'order.created.v1', '-o', 'json'])).stdout)) as EventRow[];
      eventId = events[0]?.id ?? '';
      return eventId !== '';
    }, 'the order event in the inspector', 30_000);
    await waitFor(async () => {
      traceCount = (JSON.parse(String((await a.cli(['traces', '-o', 'json'])).stdout)) as unknown[]).length;
      return traceCount > 0;
    }, 'traces from the workers', 30_000);
    file = join(a.dir, 'demo.kyma');
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
  });

  it('saves one file that inspect lists and verifies', async () => {
    const r = await a.cli(['snapshot', 'save', file, '--with-events', '--with-telemetry']);
    expect(r.stdout).toMatch(new RegExp(`^Saved ${file} \\([\\d.]+ KiB: 2 function\\(s\\), \\d+ entries\\)`));
    expect(r.stderr).toContain('· npm dependency cache');
    const again = await a.cli(['snapshot', 'save', file], { reject: false });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('exists — pick another name or add --force to overwrite it');

    const shown = String((await a.cli(['snapshot', 'inspect', file])).stdout);
    expect(shown).toMatch(/^Snapshot format 1, saved by Kyma Local \S+ at .* integrity OK\)/);
    expect(shown).toContain('Profile:    demo (embedded; modules: serverless, eventing, telemetry)');
    expect(shown).toMatch(/Resources: .*2 Function.*1 Subscription.*\(Secrets not included\)/);
    expect(shown).toContain('Functions:  default/mailer (nodejs22), default/orders (nodejs22)');
    expect(shown).toMatch(/npm cache: {2}1 dependency set\(s\)/);
    expect(shown).toMatch(/Events: {5}[1-9]\d* inspector record\(s\), JetStream store/);
    expect(shown).toMatch(/Telemetry: {2}[1-9]\d* span\(s\)/);
    const m = JSON.parse(String((await a.cli(['snapshot', 'inspect', file, '-o', 'json'])).stdout)) as { entries: Array<{ path: string; sha256: string }> };
    expect(m.entries.some((e) => e.path.startsWith('npm/') && e.path.endsWith('node_modules/local-greeter/index.js') && /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);
    expect(m.entries.some((e) => e.path.startsWith('dev/0/mailer/handler.js'))).toBe(true);
  });

  it('loads into a fresh home with the registry dead and the dependency source gone: functions Ready, events and traces back', async () => {
    await rm(greeter, { recursive: true, force: true });
    b.env.npm_config_registry = `http://127.0.0.1:${await deadPort()}/`;
    const r = await b.cli(['snapshot', 'load', file], { timeout: 120_000 });
    expect(r.stdout).toMatch(/Loaded .* profile demo, 2\/2 function\(s\) Ready/);
    expect(r.stderr).toContain('· verifying integrity');
    const st = await statusJson(b);
    expect(st.cluster?.phase).toBe('Ready');
    expect(String((await b.cli(['invoke', 'mailer', '--data', '{"id":5}'])).stdout)).toContain('hello order 5');
    const events = JSON.parse(String((await b.cli(['events', '--type', 'order.created.v1', '-o', 'json'])).stdout)) as EventRow[];
    expect(events.map((e) => e.id)).toContain(eventId);
    const traces = JSON.parse(String((await b.cli(['traces', '-o', 'json', '--limit', '500'])).stdout)) as unknown[];
    expect(traces.length).toBeGreaterThanOrEqual(traceCount);
    // The sources are a dev folder of the new home: editing them redeploys.
    const handler = join(b.dir, 'snapshots', 'demo', 'dev-0-fns', 'orders', 'handler.js');
    expect(existsSync(handler)).toBe(true);
    await writeFile(handler, (await readFile(handler, 'utf8')).replace("return 'accepted'", "return 'accepted v2'"));
    await waitFor(async () => String((await b.cli(['invoke', 'orders', '--data', '{"id":6}'], { reject: false })).stdout).includes('accepted v2'), 'the restored dev folder to redeploy on save', 30_000);
  });

  it('refuses to load over a non-empty cluster without --replace, changing nothing', async () => {
    const r = await b.cli(['snapshot', 'load', file], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/this cluster is not empty: it has \d+ resource\(s\) \(.*Function default\/mailer.*\) and 2 dev folder\(s\) — load with --replace to overwrite them, or into a new home with --into NEW_HOME/);
    expect(String((await b.cli(['invoke', 'orders', '--data', '{"id":7}'])).stdout)).toContain('accepted v2');
  });

  it('rejects tampered, truncated and newer-format files before changing anything', async () => {
    const bytes = await readFile(file);
    const tar = gunzipSync(bytes);
    // Tampered: one byte of the orders source changed (resources.json or the dev copy), the archive still well-formed.
    const at = tar.indexOf(Buffer.from("return 'accepted'"));
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(tar);
    tampered[at + 8] = 'X'.charCodeAt(0);
    const tamperedFile = join(a.dir, 'tampered.kyma');
    await writeFile(tamperedFile, gzipSync(tampered));
    const t = await b.cli(['snapshot', 'inspect', tamperedFile], { reject: false });
    expect(t.exitCode).toBe(1);
    expect(t.stderr).toMatch(/failed its integrity check — (resources\.json|dev\/0\/orders\/handler\.js) does not match its sha256 in the manifest; it was changed or damaged after it was saved/);
    const tl = await b.cli(['snapshot', 'load', tamperedFile, '--replace'], { reject: false });
    expect(tl.stderr).toContain('failed its integrity check');

    const truncatedFile = join(a.dir, 'truncated.kyma');
    await writeFile(truncatedFile, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const tr = await b.cli(['snapshot', 'load', truncatedFile, '--replace'], { reject: false });
    expect(tr.exitCode).toBe(1);
    expect(tr.stderr).toMatch(/truncated\.kyma is truncated or not a Kyma Local snapshot/);

    // Newer format: rewrite the manifest's format number (same length keeps the tar layout intact).
    const newer = Buffer.from(tar);
    const fmt = newer.indexOf(Buffer.from('"format": 1,'));
    newer.write('"format": 9,', fmt);
    const newerFile = join(a.dir, 'newer.kyma');
    await writeFile(newerFile, gzipSync(newer));
    const nr = await b.cli(['snapshot', 'load', newerFile, '--replace'], { reject: false });
    expect(nr.stderr).toMatch(/in snapshot format 9; this version \(format 1\) cannot read it — upgrade Kyma Local/);

    // Nothing was changed by any of them.
    expect((await statusJson(b)).cluster?.phase).toBe('Ready');
    expect(String((await b.cli(['invoke', 'orders', '--data', '{"id":8}'])).stdout)).toContain('accepted v2');
    expect((await stat(file)).size).toBe(bytes.length);
  });

  it('rejects a snapshot whose functions need a runtime this machine lacks, before changing anything', async () => {
    const py = join(a.dir, 'py.yaml');
    await writeFile(py, 'apiVersion: serverless.kyma-project.io/v1alpha2\nkind: Function\nmetadata:\n  name: scorer\n  namespace: default\nspec:\n  runtime: python312\n  source:\n    inline:\n      source: |\n        def main(event, context):\n          return "ok"\n');
    await a.cli(['apply', '-f', py]);
    const pyFile = join(a.dir, 'python.kyma');
    await a.cli(['snapshot', 'save', pyFile]);
    const r = await b.cli(['snapshot', 'load', pyFile, '--replace'], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("the snapshot's functions default/scorer (python312) need a runtime this machine lacks: the embedded runtime runs Node.js functions only");
    expect(String((await b.cli(['invoke', 'orders', '--data', '{"id":8}'])).stdout)).toContain('accepted v2');
  });

  it('refuses a well-formed snapshot holding an object this version rejects, before changing anything', async () => {
    const stage = join(a.dir, 'crafted');
    await mkdir(stage, { recursive: true });
    await writeFile(join(stage, 'profile.yaml'), profileYaml('demo', MODULES));
    const bad = { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', metadata: { name: 'broken', namespace: 'default' }, spec: { source: { inline: { source: 'module.exports = {}' } } } };
    await writeFile(join(stage, 'resources.json'), JSON.stringify([bad]));
    const crafted = join(a.dir, 'crafted.kyma');
    await packSnapshot(
      stage,
      {
        format: SNAPSHOT_FORMAT,
        app: { name: 'kyma-local', version: 'test' },
        createdAt: new Date().toISOString(),
        profile: { name: 'demo', runtime: 'embedded', modules: MODULES },
        contents: { resources: { Function: 1 }, functions: [{ namespace: 'default', name: 'broken', runtime: 'nodejs22' }], secretsIncluded: false, devFolders: [], npmEntries: [], events: { included: false, count: 0 }, telemetry: { included: false, spans: 0, logRecords: 0 }, images: 'none' },
      },
      crafted,
    );
    const r = await b.cli(['snapshot', 'load', crafted, '--replace'], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/the snapshot's Function default\/broken is invalid here: spec\.runtime: .* nothing was changed/);
    expect((await statusJson(b)).cluster?.phase).toBe('Ready');
    expect(String((await b.cli(['invoke', 'orders', '--data', '{"id":8}'])).stdout)).toContain('accepted v2');
  });

  it('--replace overwrites the cluster with the snapshot', async () => {
    const r = await b.cli(['snapshot', 'load', file, '--replace'], { timeout: 120_000 });
    expect(r.stdout).toMatch(/2\/2 function\(s\) Ready/);
    expect(String((await b.cli(['invoke', 'orders', '--data', '{"id":9}'])).stdout).trim()).toBe('accepted');
  });
});
