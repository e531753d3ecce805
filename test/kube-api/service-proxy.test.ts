import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createKubeApi, parseServiceProxyPath } from '../../main/core/daemon/kube-api/index.js';
import { RESOURCE_TYPES, silentLogger } from '../../main/core/model/index.js';
import { startKubeServer, writeKubeconfig, type TestKubeServer } from './server.js';

const run = promisify(execFile);

describe('service proxy path parsing', () => {
  it('takes name, name:port and scheme:name:port, keeping the rest of the path encoded', () => {
    expect(parseServiceProxyPath('/api/v1/namespaces/default/services/hello/proxy/')).toEqual({ namespace: 'default', service: 'hello', path: '/' });
    expect(parseServiceProxyPath('/api/v1/namespaces/default/services/hello/proxy')).toEqual({ namespace: 'default', service: 'hello', path: '' });
    expect(parseServiceProxyPath('/api/v1/namespaces/kyma-system/services/eventing-publisher-proxy:80/proxy/publish')).toEqual({ namespace: 'kyma-system', service: 'eventing-publisher-proxy', port: '80', path: '/publish' });
    expect(parseServiceProxyPath('/api/v1/namespaces/shop/services/http:orders:http/proxy/a%20b/c')).toEqual({ namespace: 'shop', service: 'orders', scheme: 'http', port: 'http', path: '/a%20b/c' });
    expect(parseServiceProxyPath('/api/v1/namespaces/shop/services/orders%3A8080/proxy/x')).toMatchObject({ service: 'orders', port: '8080', path: '/x' });
  });

  it('is undefined for other paths and malformed service parts', () => {
    expect(parseServiceProxyPath('/api/v1/namespaces/default/services/hello')).toBeUndefined();
    expect(parseServiceProxyPath('/api/v1/namespaces/default/services/hello/status')).toBeUndefined();
    expect(parseServiceProxyPath('/api/v1/namespaces/default/pods/hello/proxy/')).toBeUndefined();
    expect(parseServiceProxyPath('/apis/v1/namespaces/default/services/hello/proxy/')).toBeUndefined();
    expect(parseServiceProxyPath('/api/v1/namespaces/default/services/ftp:hello:21/proxy/')).toBeUndefined();
    expect(parseServiceProxyPath('/api/v1/namespaces/default/services/a:b:c:d/proxy/')).toBeUndefined();
    expect(parseServiceProxyPath('/api/v1/namespaces/default/services/:80/proxy/')).toBeUndefined();
  });
});

// The subresource on a real server: the Kubernetes API (test server with the daemon's token check) in front of a
// real HTTP service, reached by client-node-free plain fetch and by stock kubectl.
describe('services/{name}/proxy on the Kubernetes API', () => {
  let backend: Server;
  let backendUrl = '';
  let kube: TestKubeServer;
  let kubeconfig: string;
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    backend = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'x-from': 'backend' });
        res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, body }));
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    kube = await startKubeServer({
      services: (ns, name) => (ns === 'default' && name === 'hello' ? { url: backendUrl, host: 'hello.default.svc.cluster.local', trustHeaders: { 'x-trust': 'yes' } } : undefined),
    });
    kubeconfig = await writeKubeconfig(kube);
  });
  afterAll(async () => {
    await kube?.close();
    backend?.closeAllConnections();
    await new Promise<void>((r) => (backend ? backend.close(() => r()) : r()));
  });

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${kube.token}` });

  it('forwards method, path, query and body under the in-cluster Host, without the caller\'s credentials', async () => {
    const res = await fetch(`${kube.url}/api/v1/namespaces/default/services/hello:80/proxy/orders/1?x=a%20b`, { method: 'POST', headers: { ...auth(), 'content-type': 'text/plain', cookie: 'c=1' }, body: 'hi' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-from')).toBe('backend');
    expect(await res.json()).toEqual({ method: 'POST', url: '/orders/1?x=a%20b', host: 'hello.default.svc.cluster.local', body: 'hi' });
    const last = seen.at(-1)!;
    expect(last.headers.authorization).toBeUndefined();
    expect(last.headers.cookie).toBeUndefined();
    expect(last.headers['x-trust']).toBe('yes');
  });

  it("passes the service's own error statuses through", async () => {
    const res = await fetch(`${kube.url}/api/v1/namespaces/default/services/hello/proxy/missing`, { method: 'DELETE', headers: auth() });
    expect(res.status).toBe(404);
    expect((await res.json()) as { method: string }).toMatchObject({ method: 'DELETE', url: '/missing' });
  });

  it('redirects the bare /proxy to /proxy/ and answers an unknown service with a 404 Status', async () => {
    const bare = await fetch(`${kube.url}/api/v1/namespaces/default/services/hello/proxy?q=1`, { headers: auth(), redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/api/v1/namespaces/default/services/hello/proxy/?q=1');
    const unknown = await fetch(`${kube.url}/api/v1/namespaces/default/services/nope/proxy/`, { headers: auth() });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'services "nope" not found', details: { name: 'nope', kind: 'services' }, code: 404 });
  });

  it("refuses a request without the token (a browser on the daemon's origin with the dashboard cookie)", async () => {
    // The daemon's guard lets a cookie-signed-in dashboard through to the Kubernetes API; the proxy itself must not serve it.
    const api = createKubeApi({ store: kube.store, types: RESOURCE_TYPES, log: silentLogger, services: () => ({ url: backendUrl, host: 'hello.default.svc.cluster.local' }) });
    const cookieOnly = createServer((req, res) => void api.handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
    await new Promise<void>((r) => cookieOnly.listen(0, '127.0.0.1', r));
    try {
      const before = seen.length;
      const res = await fetch(`http://127.0.0.1:${(cookieOnly.address() as AddressInfo).port}/api/v1/namespaces/default/services/hello/proxy/`, { headers: { cookie: 'kyma-local-session=abc' } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toContain('the dashboard session is not accepted here');
      expect(seen.length).toBe(before);
    } finally {
      await new Promise<void>((r) => cookieOnly.close(() => r()));
    }
  });

  it('works from stock kubectl (get --raw)', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/api/v1/namespaces/default/services/hello/proxy/ping']);
    expect(JSON.parse(stdout)).toMatchObject({ method: 'GET', url: '/ping' });
    const failed = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/api/v1/namespaces/default/services/nope/proxy/']).catch((e: { stderr: string }) => e);
    expect((failed as { stderr: string }).stderr).toContain('services "nope" not found');
  });
});
