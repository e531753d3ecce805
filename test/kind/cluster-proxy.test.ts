import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { silentLogger } from '../../main/core/model/index.js';
import { KubeClient, serviceOfHost, serviceProxyUrl, startClusterProxy, type ClusterProxy } from '../../main/core/kind/index.js';

// The kind runtime's way into a cluster's Services: the loopback cluster proxy turns `Host: <svc>.<ns>.svc…` into
// the API server's `services/<svc>/proxy/…` path with the kubeconfig's credentials. A real cluster uses https with
// its own CA and (kind) a client certificate: here an https server with an openssl-made CA, server and client
// certificate plays the API server's TLS side and records what arrives.

describe('service host names', () => {
  it('maps in-cluster names (and a non-default port) to the service and its proxy URL', () => {
    expect(serviceOfHost('hello.default.svc.cluster.local')).toEqual({ name: 'hello', namespace: 'default' });
    expect(serviceOfHost('Hello.Default.svc:80')).toEqual({ name: 'hello', namespace: 'default' });
    expect(serviceOfHost('eventing-publisher-proxy.kyma-system.svc.cluster.local:8080')).toEqual({ name: 'eventing-publisher-proxy', namespace: 'kyma-system', port: '8080' });
    expect(serviceOfHost('127.0.0.1:4000')).toBeUndefined();
    expect(serviceOfHost('hello.default')).toBeUndefined();
    expect(serviceProxyUrl('https://10.0.0.1:6443', { name: 'hello', namespace: 'default' }, '/a/b?x=1').toString()).toBe('https://10.0.0.1:6443/api/v1/namespaces/default/services/hello/proxy/a/b?x=1');
    // A server URL with a path (Rancher-style) keeps it; a port is written name:port as kubectl does.
    expect(serviceProxyUrl('https://rancher.example/k8s/clusters/c-1/', { name: 'hello', namespace: 'shop', port: '8080' }, '/').toString()).toBe('https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/shop/services/hello:8080/proxy/');
  });
});

describe('the cluster proxy against an https API server', () => {
  let dir: string;
  let server: Server;
  let port: number;
  const proxies: ClusterProxy[] = [];
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; clientCn?: string; body: string }> = [];

  const openssl = (args: string[]) => execa('openssl', args, { cwd: dir });
  const b64 = async (f: string): Promise<string> => (await readFile(path.join(dir, f))).toString('base64');

  async function makeCa(name: string): Promise<void> {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]);
  }
  async function makeCert(name: string, ca: string, ext?: string): Promise<void> {
    await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/O=system:masters/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    const extArgs = ext ? ['-extfile', ext] : [];
    await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-out', `${name}.crt`, ...extArgs]);
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kl-cluster-proxy-'));
    await makeCa('cluster-ca');
    await makeCa('other-ca');
    await writeFile(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    await makeCert('apiserver', 'cluster-ca', 'san.ext');
    await makeCert('kyma-dev', 'cluster-ca');
    server = createServer(
      { key: await readFile(path.join(dir, 'apiserver.key')), cert: await readFile(path.join(dir, 'apiserver.crt')), ca: await readFile(path.join(dir, 'cluster-ca.crt')), requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (body += c));
        req.on('end', () => {
          const socket = req.socket as TLSSocket;
          const cn = socket.authorized ? socket.getPeerCertificate().subject?.CN : undefined;
          seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, ...(cn ? { clientCn: String(cn) } : {}) });
          if (req.url?.includes('/services/nope/')) {
            res.writeHead(404, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'services "nope" not found', reason: 'NotFound', code: 404 }));
            return;
          }
          res.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': 'function' });
          res.end(`answer to ${req.method} ${req.url}`);
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: real\n  cluster: { server: "https://127.0.0.1:${port}", certificate-authority-data: "${await b64('cluster-ca.crt')}" }`,
      `- name: untrusted\n  cluster: { server: "https://127.0.0.1:${port}", certificate-authority-data: "${await b64('other-ca.crt')}" }`,
      `- name: skip\n  cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true }`,
      'users:',
      `- name: cert\n  user: { client-certificate-data: "${await b64('kyma-dev.crt')}", client-key-data: "${await b64('kyma-dev.key')}" }`,
      '- name: token\n  user: { token: "t0ken" }',
      'contexts:',
      '- name: cert\n  context: { cluster: real, user: cert }',
      '- name: untrusted\n  context: { cluster: untrusted, user: cert }',
      '- name: token\n  context: { cluster: skip, user: token }',
      'current-context: cert',
      '',
    ].join('\n');
    await writeFile(path.join(dir, 'kubeconfig'), kubeconfig, { mode: 0o600 });
  });
  afterAll(async () => {
    for (const p of proxies) await p.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const proxyFor = async (context: string): Promise<ClusterProxy> => {
    const p = await startClusterProxy(new KubeClient({ kubeconfigPath: path.join(dir, 'kubeconfig'), context }).config, silentLogger);
    proxies.push(p);
    return p;
  };

  /** A plain node:http request to the proxy (fetch cannot set Host). */
  function call(p: ClusterProxy, opts: { host: string; path?: string; method?: string; body?: string; headers?: Record<string, string>; trust?: boolean }): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const headers = { host: opts.host, ...(opts.trust === false ? {} : p.trustHeaders), ...opts.headers };
      const req = httpRequest(`${p.url}${opts.path ?? '/'}`, { method: opts.method ?? 'GET', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  it("sends the request to the service proxy path with the kubeconfig's client certificate, verifying the server's CA", async () => {
    const p = await proxyFor('cert');
    const res = await call(p, { host: 'hello.default.svc.cluster.local', path: '/orders/1?x=a%20b', method: 'POST', body: '{"id":1}', headers: { 'content-type': 'application/json', cookie: 'kl=1', authorization: 'Bearer not-for-the-cluster' } });
    expect(res).toMatchObject({ status: 200, body: 'answer to POST /api/v1/namespaces/default/services/hello/proxy/orders/1?x=a%20b' });
    expect(res.headers['x-served-by']).toBe('function');
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', body: '{"id":1}', clientCn: 'kyma-dev' });
    expect(last.headers['content-type']).toBe('application/json');
    // The caller's credentials and the daemon's proof stay on this machine; the cluster gets the kubeconfig's.
    expect(last.headers.authorization).toBeUndefined();
    expect(last.headers.cookie).toBeUndefined();
    expect(Object.keys(last.headers).some((k) => k.startsWith('x-kyma-local'))).toBe(false);
    expect(last.headers.host).toBe(`127.0.0.1:${port}`);
  });

  it("passes the API server's answers through (an unknown service's 404 Status) and names a port", async () => {
    const p = await proxyFor('cert');
    const res = await call(p, { host: 'nope.default.svc.cluster.local' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'NotFound', message: 'services "nope" not found' });
    await call(p, { host: 'eventing-publisher-proxy.kyma-system.svc.cluster.local:8080', path: '/publish', method: 'POST', body: '{}' });
    expect(seen.at(-1)!.url).toBe('/api/v1/namespaces/kyma-system/services/eventing-publisher-proxy:8080/proxy/publish');
  });

  it('uses a bearer token where the kubeconfig has one (and skips verification only when it says so)', async () => {
    const p = await proxyFor('token');
    expect((await call(p, { host: 'hello.default.svc' })).status).toBe(200);
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer t0ken');
    expect(seen.at(-1)!.clientCn).toBeUndefined();
  });

  it('refuses a server its CA does not sign, naming the server', async () => {
    const p = await proxyFor('untrusted');
    const before = seen.length;
    const res = await call(p, { host: 'hello.default.svc.cluster.local' });
    expect(res.status).toBe(502);
    expect(res.body).toContain(`cannot reach the cluster's API server at https://127.0.0.1:${port} for Service default/hello`);
    expect(seen.length).toBe(before);
  });

  it('serves only the daemon: no trust header, a foreign Host or a host that names no Service is refused', async () => {
    const p = await proxyFor('cert');
    const before = seen.length;
    const untrusted = await call(p, { host: 'hello.default.svc.cluster.local', trust: false });
    expect(untrusted.status).toBe(403);
    expect(untrusted.body).toContain('serves only the Kyma Local daemon');
    expect((await call(p, { host: 'evil.example' })).status).toBe(403);
    const cross = await call(p, { host: 'hello.default.svc.cluster.local', trust: false, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(cross.status).toBe(403);
    expect(cross.body).toContain('cross-site browser request from https://evil.example');
    const bare = await call(p, { host: '127.0.0.1' });
    expect(bare.status).toBe(400);
    expect(bare.body).toContain('use <service>.<namespace>.svc.cluster.local');
    expect(seen.length).toBe(before);
    // The daemon's own call may carry an Origin (testing a function's CORS): it reaches the cluster.
    expect((await call(p, { host: 'hello.default.svc.cluster.local', headers: { origin: 'https://app.example' } })).status).toBe(200);
    expect(seen.at(-1)!.headers.origin).toBe('https://app.example');
  });
});
