import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { EventSummary, EventWithAttempts, FunctionWithRevisions, RevisionRecord } from '../../main/core/api/index.js';
import { apiToken, createTestHome, waitFor, type TestHome } from '../helpers/cli.js';

// Functions and events on the kubernetes runtime, end to end with real processes: daemon A runs the embedded
// runtime (serverless + eventing: real workers, real nats-server); daemon B attaches to A's Kubernetes API by
// kubeconfig (`runtime: kubernetes`), exactly as it would attach to a remote Kyma cluster. Everything B does —
// invoke, revisions, rollback, publish — goes through A's API server service proxy (`services/<name>/proxy`).

const fnYaml = (version: string): string => `apiVersion: serverless.kyma-project.io/v1alpha2
kind: Function
metadata:
  name: hello
  namespace: default
spec:
  runtime: nodejs22
  source:
    inline:
      source: |
        module.exports = { main: () => '${version} from pid ' + process.pid };
`;

const SINK = `apiVersion: serverless.kyma-project.io/v1alpha2
kind: Function
metadata:
  name: sink
  namespace: default
spec:
  runtime: nodejs22
  source:
    inline:
      source: |
        const got = [];
        module.exports = { main: (event) => { if (event.extensions.request.method === 'POST') { got.push({ type: event['ce-type'], data: event.data }); return 'ok'; } return got; } };
---
apiVersion: eventing.kyma-project.io/v1alpha2
kind: Subscription
metadata:
  name: sink-orders
  namespace: default
spec:
  sink: http://sink.default.svc.cluster.local
  source: shop
  types:
    - order.created.v1
`;

describe('functions and events on an attached cluster (daemon B attached to daemon A)', () => {
  let a: TestHome;
  let b: TestHome;
  let bKubeconfig: string;

  /** A's daemon API, with its token: what A itself says about its workers and events. */
  const onA = async <T>(path: string): Promise<T> => {
    const { url } = JSON.parse(readFileSync(join(a.dir, 'daemon.json'), 'utf8')) as { url: string };
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${apiToken(a)}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const revisionsOnB = async (name: string): Promise<RevisionRecord[]> => JSON.parse(String((await b.cli(['revisions', name, '-o', 'json'])).stdout)) as RevisionRecord[];
  const invokeOnB = async (name: string): Promise<string> => String((await b.cli(['invoke', name])).stdout).trim();
  const applyOnB = async (file: string, text: string): Promise<void> => {
    await writeFile(join(b.dir, file), text);
    await b.cli(['apply', '-f', join(b.dir, file)]);
  };
  const settled = (want: number) => async (): Promise<boolean> => {
    const revs = await revisionsOnB('hello');
    return revs.length >= want && revs[want - 1]!.outcome !== 'pending';
  };

  beforeAll(async () => {
    a = await createTestHome();
    b = await createTestHome();
    await a.cli(['up', '--profile', await a.profile({ name: 'a', modules: ['serverless', 'eventing'] })], { timeout: 120_000 });
    await a.cli(['kubeconfig', '-w', join(b.dir, 'a-kubeconfig')]);
    const profile = join(b.dir, 'attached.yaml');
    await writeFile(profile, 'apiVersion: kyma-local.io/v1alpha1\nkind: ClusterProfile\nmetadata:\n  name: attached\nspec:\n  runtime: kubernetes\n  modules: [serverless, eventing]\n  kubernetes:\n    kubeconfig: a-kubeconfig\n');
    // The cluster has no Serverless/Eventing module CRs (A is no real Kyma cluster): B comes up Degraded, which is fine here.
    await b.cli(['up', '--profile', profile], { timeout: 120_000, reject: false });
    bKubeconfig = join(b.dir, 'b-kubeconfig');
    await b.cli(['kubeconfig', '--daemon', '-w', bKubeconfig]);
  });
  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
  });

  it("runs a Function applied on B on A's workers, invoked from B, with the revision judged by A's status", async () => {
    await applyOnB('hello.yaml', fnYaml('v1'));
    await waitFor(settled(1), 'revision 1 of hello on B to settle', 60_000);
    const [r1] = await revisionsOnB('hello');
    expect(r1).toMatchObject({ number: 1, outcome: 'ready' });
    expect(r1!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(r1!.readyAt!)).toBeGreaterThanOrEqual(Date.parse(r1!.createdAt));

    const answer = await invokeOnB('hello');
    expect(answer).toMatch(/^v1 from pid \d+$/);
    // The answer came from a worker process of daemon A.
    const onAHello = await onA<FunctionWithRevisions>('/kl/v1/functions/default/hello');
    expect(onAHello.workers.map((w) => w.pid)).toContain(Number(answer.split(' ').at(-1)));

    // B's own Kubernetes API proxies to the service too (B → cluster proxy → A's API server → A's mesh → worker).
    const raw = await execa('kubectl', ['--kubeconfig', bKubeconfig, 'get', '--raw', '/api/v1/namespaces/default/services/hello/proxy/']);
    expect(raw.stdout).toBe(answer);
    // What B shows for the function: details from the store (status copied from A), no local workers, the way in.
    const details = JSON.parse(String((await b.cli(['get', 'function', 'hello', '-o', 'json'])).stdout)) as { status?: { conditions?: Array<{ type: string; status: string }> } };
    expect(details.status?.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Running', status: 'True' })]));
    const wide = String((await b.cli(['get', 'functions', '-o', 'wide'])).stdout);
    expect(wide).toContain('/api/v1/namespaces/default/services/hello/proxy/');
    expect(wide).toContain(`kubectl --kubeconfig ${join(b.dir, 'a-kubeconfig')} get --raw /api/v1/namespaces/default/services/hello/proxy/`);

    const unknown = await b.cli(['invoke', 'nope'], { reject: false });
    expect(unknown.exitCode).toBe(1);
    expect(String(unknown.stdout)).toContain('services \\"nope\\" not found');
  });

  it('a changed source is a new revision with a measured latency; rollback re-applies revision 1 through the store', async () => {
    await applyOnB('hello.yaml', fnYaml('v2'));
    await waitFor(settled(2), 'revision 2 of hello on B to settle', 60_000);
    const revs = await revisionsOnB('hello');
    expect(revs.map((r) => r.outcome)).toEqual(['superseded', 'ready']);
    expect(revs[1]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await invokeOnB('hello')).toMatch(/^v2 from pid/);

    const rolled = await b.cli(['rollback', 'hello']);
    expect(String(rolled.stdout)).toContain('default/hello: revision 3 (ready) re-deploys revision 1');
    expect(await invokeOnB('hello')).toMatch(/^v1 from pid/);
    const after = await revisionsOnB('hello');
    expect(after.map((r) => [r.number, r.outcome, r.rollbackOf])).toEqual([
      [1, 'superseded', undefined],
      [2, 'rolled-back', undefined],
      [3, 'ready', 1],
    ]);
    // The rollback went through the store to the cluster: A's Function has revision 1's source again.
    const onAFn = JSON.parse(String((await a.cli(['get', 'function', 'hello', '-o', 'json'])).stdout)) as { spec: { source: { inline: { source: string } } } };
    expect(onAFn.spec.source.inline.source).toContain("'v1 from pid '");
    const nothingEarlier = await b.cli(['rollback', 'hello', '--to', '1'], { reject: false });
    expect(String(nothingEarlier.stderr)).toContain('already has the code of revision 1');
  });

  it("publishes on B through the cluster's publisher proxy; A's Subscription delivers to A's function", async () => {
    await applyOnB('sink.yaml', SINK);
    await waitFor(async () => {
      const r = await b.cli(['get', 'subscription', 'sink-orders', '-o', 'json'], { reject: false });
      return r.exitCode === 0 && (JSON.parse(String(r.stdout)) as { status?: { ready?: boolean } }).status?.ready === true;
    }, "the Subscription's ready status (written by A, copied to B)", 60_000);
    await waitFor(async () => (await b.cli(['invoke', 'sink'], { reject: false })).exitCode === 0, 'the sink function to serve', 60_000);

    const published = await b.cli(['publish', '--type', 'order.created.v1', '--source', 'shop', '--data', '{"id":7}']);
    const id = /published (\S+)/.exec(String(published.stdout))![1]!;
    await b.cli(['publish', '--legacy', 'shop', '--type', 'order.created', '--data', '{"id":8}']);
    const got = async (): Promise<Array<{ data: { id: number } }>> => JSON.parse(await invokeOnB('sink')) as Array<{ data: { id: number } }>;
    await waitFor(async () => (await got()).length >= 2, 'both events to reach the sink on A', 30_000);
    expect((await got()).map((e) => e.data.id).sort()).toEqual([7, 8]);

    // B's inspector: what was published through it, with the note that deliveries are inside the cluster.
    const events = JSON.parse(String((await b.cli(['events', '-o', 'json'])).stdout)) as EventSummary[];
    expect(events.map((e) => [e.type, e.via])).toEqual([
      ['order.created.v1', 'legacy'],
      ['order.created.v1', 'api'],
    ]);
    expect(events.every((e) => e.deliveries.length === 0 && e.note?.includes('not observed'))).toBe(true);
    const shown = String((await b.cli(['event', id])).stdout);
    expect(shown).toContain('note: Published to the cluster');
    // A itself saw the delivery to its subscriber.
    const onAEvent = await onA<EventWithAttempts>(`/kl/v1/events/${id}`);
    expect(onAEvent.attempts.some((t) => t.outcome === 'success')).toBe(true);

    // Replay re-publishes (a new id, replayOf the old) and the subscriber gets it again.
    const replayed = await b.cli(['replay', id]);
    expect(String(replayed.stdout)).toMatch(/replayed as \S+/);
    await waitFor(async () => (await got()).length >= 3, 'the replayed event to reach the sink', 30_000);
    const direct = await b.cli(['replay', id, '--subscription', 'default/sink-orders'], { reject: false });
    expect(direct.exitCode).not.toBe(0);
    expect(String(direct.stderr)).toContain('its sink is inside the cluster');
  });
});
