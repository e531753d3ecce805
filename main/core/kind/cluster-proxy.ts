import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../model/index.js';
import { createListenerGuard, hostnameOf } from '../listener-guard/index.js';

/** Where the daemon reaches a Service on the cluster: this proxy's URL plus the header that proves the caller is the daemon. */
export interface ClusterProxy {
  url: string;
  port: number;
  /** Sent with every request: only the daemon (which checked its API token) may use the user's cluster credentials. */
  trustHeaders: Record<string, string>;
  close(): Promise<void>;
}

const TRUST_HEADER = 'x-kyma-local-cluster-proxy';
/**
 * Headers about one connection, and the caller's credentials: the cluster's API server gets the kubeconfig's instead.
 * Origin goes through (the API server passes it on), so `kyma-local invoke -H origin=…` tests a function's CORS here too.
 */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'proxy-connection', 'host', 'authorization', 'cookie', TRUST_HEADER]);
const CONNECTION_LEVEL = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length']);

/** `<svc>.<ns>.svc[.cluster.local][:port]` → the Service and port the API server's proxy path names. */
export function serviceOfHost(hostHeader: string): { namespace: string; name: string; port?: string } | undefined {
  const hostname = hostnameOf(hostHeader);
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(hostname);
  if (!m) return undefined;
  const port = /:(\d+)$/.exec(hostHeader.trim())?.[1];
  return { name: m[1]!, namespace: m[2]!, ...(port && port !== '80' ? { port } : {}) };
}

/** The API server's service proxy URL for a Service (keeping a server URL's own path prefix, as Rancher-style URLs have). */
export function serviceProxyUrl(server: string, svc: { namespace: string; name: string; port?: string }, pathAndQuery: string): URL {
  const base = new URL(server);
  const prefix = base.pathname.replace(/\/$/, '');
  // `name:port` as kubectl writes it; the API server splits the segment at ':' (SplitSchemeNamePort).
  const service = `${encodeURIComponent(svc.name)}${svc.port ? `:${encodeURIComponent(svc.port)}` : ''}`;
  const path = pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`;
  return new URL(`${base.origin}${prefix}/api/v1/namespaces/${encodeURIComponent(svc.namespace)}/services/${service}/proxy${path}`);
}

/**
 * A loopback-only proxy from the daemon to the cluster's Services, the way in-cluster callers name them: a request
 * with `Host: <fn>.<ns>.svc.cluster.local` goes to the cluster API server's `services/<fn>/proxy/<path>` with the
 * kubeconfig's credentials (token, client certificate, exec/OIDC plugins; the server's CA or skip-verify as the
 * kubeconfig says), streaming both ways. It works wherever the kubeconfig does — a kind cluster, a remote Kyma
 * cluster — without port-forwards or ingress. The API server consumes the Authorization header: a function behind it
 * never sees one.
 */
export async function startClusterProxy(config: KubeConfig, log: Logger): Promise<ClusterProxy> {
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no cluster server for its current context');
  const trust = randomBytes(24).toString('base64url');
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  // A cross-site Origin passes only with the daemon's proof: the daemon's invoke route (behind its API token) sends
  // the Origin a user gives `kyma-local invoke`; a browser page cannot know the secret.
  const guard = createListenerGuard({ listener: 'cluster service proxy', clusterLocalHosts: true, allowOrigins: (_origin, req) => req.headers[TRUST_HEADER] === trust });

  const forward = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const svc = serviceOfHost(req.headers.host ?? '');
    if (!svc) return plain(res, 400, `Host "${req.headers.host ?? ''}" names no Service; use <service>.<namespace>.svc.cluster.local`);
    const target = serviceProxyUrl(server, svc, req.url ?? '/');
    const tls: https.RequestOptions = {};
    await config.applyToHTTPSOptions(tls);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !NOT_FORWARDED.has(k)) headers[k] = v;
    for (const [k, v] of Object.entries(tls.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = typeof v === 'number' ? String(v) : v;
    const secure = target.protocol === 'https:';
    const options: https.RequestOptions = {
      method: req.method ?? 'GET',
      headers,
      agent: secure ? agents.https : agents.http,
      ...(tls.auth ? { auth: tls.auth } : {}),
      ...(secure
        ? { ca: tls.ca, cert: tls.cert, key: tls.key, pfx: tls.pfx, passphrase: tls.passphrase, ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}), ...(tls.servername ? { servername: tls.servername } : {}) }
        : {}),
    };
    const upstream = (secure ? https : http).request(target, options, (up) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !CONNECTION_LEVEL.has(k)) out[k] = v;
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      log.warn(`cluster proxy: ${req.method} ${svc.name}.${svc.namespace}${req.url ?? ''} failed: ${err.message}`);
      if (!res.headersSent) plain(res, 502, `cannot reach the cluster's API server at ${server} for Service ${svc.namespace}/${svc.name}: ${err.message}`);
      else res.destroy(err);
    });
    req.pipe(upstream);
  };

  const listener = http.createServer(
    guard.wrap((req, res) => {
      if (req.headers[TRUST_HEADER] !== trust) return plain(res, 403, 'forbidden: the cluster service proxy serves only the Kyma Local daemon — use `kyma-local invoke` or `kubectl get --raw /api/v1/namespaces/<ns>/services/<name>/proxy/`');
      forward(req, res).catch((err: Error) => {
        if (!res.headersSent) plain(res, 502, `cluster proxy: ${err.message}`);
        else res.destroy(err);
      });
    }),
  );
  listener.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (listener.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    trustHeaders: { [TRUST_HEADER]: trust },
    close: () =>
      new Promise<void>((resolve) => {
        agents.http.destroy();
        agents.https.destroy();
        listener.closeAllConnections();
        listener.close(() => resolve());
      }),
  };
}

function plain(res: http.ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}
