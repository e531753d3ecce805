import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeServer, type TestKubeServer } from './server.js';
import { call, fn, FN_PATH } from './client.js';

interface Ev {
  type: string;
  object: { kind?: string; code?: number; reason?: string; metadata: { name: string; resourceVersion: string }; spec?: { replicas?: number }; rows?: unknown[] };
}

/** Opens a watch and reads newline-delimited events as they arrive. */
async function openWatch(s: TestKubeServer, path: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${s.token}`, ...headers }, signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let ended = false;
  return {
    res,
    /** The next event, or undefined when the server ended the stream. */
    async next(): Promise<Ev | undefined> {
      for (;;) {
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          return JSON.parse(line) as Ev;
        }
        if (ended) return undefined;
        const { value, done } = await reader.read();
        if (done) ended = true;
        else buf += decoder.decode(value, { stream: true });
      }
    },
    close: () => abort.abort(),
  };
}

let s: TestKubeServer;
beforeAll(async () => {
  s = await startKubeServer({ watchHistory: 4 });
});
afterAll(async () => {
  await s.close();
});

describe('watch', () => {
  it('sends ADDED for existing objects, then live events, as chunked NDJSON', async () => {
    await call(s, 'POST', FN_PATH, fn('w-existing', undefined, { w: 'live' }));
    const w = await openWatch(s, `${FN_PATH}?watch=true&labelSelector=w%3Dlive`);
    expect(w.res.headers.get('content-type')).toBe('application/json');
    expect(w.res.headers.get('transfer-encoding')).toBe('chunked');
    const first = await w.next();
    expect(first).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'w-existing' } } });

    await call(s, 'POST', FN_PATH, fn('w-new', undefined, { w: 'live' }));
    await call(s, 'POST', FN_PATH, fn('w-other', undefined, { w: 'elsewhere' }));
    await call(s, 'PATCH', `${FN_PATH}/w-new`, { spec: { replicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    await call(s, 'DELETE', `${FN_PATH}/w-new`);
    const evs = [await w.next(), await w.next(), await w.next()];
    expect(evs.map((e) => `${e!.type} ${e!.object.metadata.name}`)).toEqual(['ADDED w-new', 'MODIFIED w-new', 'DELETED w-new']);
    expect(evs[1]!.object.spec!.replicas).toBe(2);

    // Disconnecting removes the store listener.
    expect(s.api.activeWatches()).toBe(1);
    w.close();
    await vi.waitFor(() => expect(s.api.activeWatches()).toBe(0));
  });

  it('resumes after a resourceVersion, and answers a too old one with an ERROR event carrying 410', async () => {
    const a = (await call(s, 'POST', FN_PATH, fn('r-a'))).body;
    await call(s, 'PATCH', `${FN_PATH}/r-a`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    const w = await openWatch(s, `${FN_PATH}?watch=1&resourceVersion=${a.metadata.resourceVersion}&fieldSelector=metadata.name%3Dr-a`);
    const replayed = await w.next();
    expect(replayed).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'r-a' }, spec: { replicas: 3 } } });
    w.close();

    // The store keeps 4 events; push the one above out of its history.
    for (let i = 0; i < 5; i++) await call(s, 'POST', FN_PATH, fn(`r-fill-${i}`));
    const gone = await openWatch(s, `${FN_PATH}?watch=true&resourceVersion=${a.metadata.resourceVersion}`);
    const err = await gone.next();
    expect(err).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Gone' } });
    expect(await gone.next()).toBeUndefined();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await openWatch(s, `${FN_PATH}?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dnone`);
    expect(await w.next()).toBeUndefined();
    await vi.waitFor(() => expect(s.api.activeWatches()).toBe(0));
  });

  it('watches a single object by name and streams Table rows when asked (kubectl get -w)', async () => {
    await call(s, 'POST', FN_PATH, fn('t-one'));
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const w = await openWatch(s, `${FN_PATH}/t-one?watch=true`, { Accept: accept });
    const first = await w.next();
    expect(first!.type).toBe('ADDED');
    expect(first!.object).toMatchObject({ kind: 'Table', rows: [{ cells: expect.arrayContaining(['t-one', 'nodejs22']) }] });
    await call(s, 'POST', FN_PATH, fn('t-two'));
    await call(s, 'DELETE', `${FN_PATH}/t-one`);
    const second = await w.next();
    expect(second!.type).toBe('DELETED');
    expect(second!.object.rows).toHaveLength(1);
    w.close();
  });

  it('sends a BOOKMARK marking the end of initial events with sendInitialEvents=true', async () => {
    await call(s, 'POST', FN_PATH, fn('b-one', undefined, { b: 'x' }));
    const w = await openWatch(s, `${FN_PATH}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&labelSelector=b%3Dx`);
    expect((await w.next())!.type).toBe('ADDED');
    const bm = await w.next();
    expect(bm).toMatchObject({ type: 'BOOKMARK', object: { kind: 'Function', metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    w.close();
  });
});
