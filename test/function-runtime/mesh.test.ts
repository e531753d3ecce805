// The service-discovery hook in a real worker: fetch, http.request and axios reach a stand-in mesh server by
// cluster names, with the original Host header; unknown cluster names fail like a DNS miss.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecorder, type Recorder } from './recorder.js';
import { ensureBuilt, startWorker, type Worker } from './worker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const CLIENTS = String.raw`
const http = require('node:http');
const axios = require('axios');
const viaHttp = (url) => new Promise((resolve, reject) => {
  http.get(url, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
  }).on('error', reject);
});
const clients = {
  fetch: async (url) => { const r = await fetch(url); return { status: r.status, body: await r.json() }; },
  http: viaHttp,
  axios: async (url) => { const r = await axios.get(url); return { status: r.status, body: r.data }; },
};
module.exports = {
  main: async (event) => {
    const q = event.extensions.request.query;
    if (q.emit) { const r = await event.emitCloudEvent('a.b.c', 'src', { x: 1 }); return { status: r.status }; }
    try {
      return await clients[q.client](q.url);
    } catch (err) {
      const e = err.cause ?? err; // fetch wraps the socket error in TypeError('fetch failed')
      return { error: e.code, message: e.message };
    }
  },
};
`;

let mesh: Recorder;
let worker: Worker;

beforeAll(async () => {
  await ensureBuilt();
  mesh = await startRecorder((r, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ host: r.headers.host, url: r.url }));
  });
  worker = await startWorker(
    { 'handler.js': CLIENTS, 'node_modules/axios': { symlink: path.join(ROOT, 'node_modules/axios') } },
    {
      KYMA_LOCAL_MESH: `127.0.0.1:${mesh.port}`,
      KYMA_LOCAL_SERVICES: 'hello.default,eventing-publisher-proxy.kyma-system',
      PUBLISHER_PROXY_ADDRESS: 'http://eventing-publisher-proxy.kyma-system/publish',
    },
  );
});

afterAll(async () => {
  await worker?.stop();
  await mesh?.close();
});

async function call(client: string, url: string): Promise<{ status?: number; body?: { host: string; url: string }; error?: string; message?: string }> {
  const res = await fetch(`${worker.url}/?client=${client}&url=${encodeURIComponent(url)}`);
  return (await res.json()) as never;
}

describe.each(['fetch', 'http', 'axios'])('mesh routing with %s', (client) => {
  it('sends <svc>.<ns>.svc.cluster.local to the mesh with the original Host', async () => {
    expect(await call(client, 'http://hello.default.svc.cluster.local/greet?x=1')).toEqual({
      status: 200,
      body: { host: 'hello.default.svc.cluster.local', url: '/greet?x=1' },
    });
  });

  it('sends <svc>.<ns>.svc on any port and the short <svc>.<ns> form to the mesh', async () => {
    expect((await call(client, 'http://hello.default.svc:8080/a')).body).toEqual({ host: 'hello.default.svc:8080', url: '/a' });
    expect((await call(client, 'http://hello.default/b')).body).toEqual({ host: 'hello.default', url: '/b' });
  });

  it('fails an unknown cluster name with ENOTFOUND like DNS', async () => {
    expect(await call(client, 'http://nope.default.svc.cluster.local/')).toEqual({
      error: 'ENOTFOUND',
      message: 'getaddrinfo ENOTFOUND nope.default.svc.cluster.local',
    });
  });
});

describe('mesh services', () => {
  it('routes emitCloudEvent to the publisher proxy by its cluster name', async () => {
    const res = await fetch(`${worker.url}/?emit=1`);
    expect(await res.json()).toEqual({ status: 200 });
    const got = await mesh.waitFor((r) => r.url === '/publish');
    expect(got.headers.host).toBe('eventing-publisher-proxy.kyma-system');
    expect(got.method).toBe('POST');
  });

  it('learns services from IPC {type:"services"} messages', async () => {
    expect((await call('fetch', 'http://late.other.svc.cluster.local/')).error).toBe('ENOTFOUND');
    worker.proc.send({ type: 'services', services: ['hello.default', 'late.other'] });
    // The update travels on the IPC channel, not with the HTTP request: retry until the worker has applied it.
    let result = await call('fetch', 'http://late.other.svc.cluster.local/');
    for (let i = 0; i < 50 && result.error; i++) {
      await new Promise((r) => setTimeout(r, 20));
      result = await call('fetch', 'http://late.other.svc.cluster.local/');
    }
    expect(result.body?.host).toBe('late.other.svc.cluster.local');
  });
});
