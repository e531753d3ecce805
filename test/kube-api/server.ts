import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createKubeApi, type KubeApi, type ServiceResolver } from '../../main/core/daemon/kube-api/index.js';
import { RESOURCE_TYPES, silentLogger, type ResourceType } from '../../main/core/model/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';

export interface TestKubeServer {
  url: string;
  token: string;
  store: FileStore;
  api: KubeApi;
  /** A temp dir removed by close(); holds the store's files and anything a test writes. */
  dir: string;
  /** Requests seen (method, path with query, selected headers), for tests that check what a client sent. */
  requests: Array<{ method: string; url: string; accept: string; contentType: string; authorization: string }>;
  close(): Promise<void>;
}

/**
 * The Kubernetes API on a real node:http server on 127.0.0.1:0, with a bearer-token check in front like the
 * daemon's, backed by a FileStore in a temp dir.
 */
export async function startKubeServer(
  opts: { watchHistory?: number; /** Kinds served besides the daemon's own (a cluster's CRDs). */ extraTypes?: ResourceType[]; /** Where `services/{name}/proxy` goes. */ services?: ServiceResolver } = {},
): Promise<TestKubeServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kube-api-'));
  const { extraTypes = [], services, ...storeOpts } = opts;
  const types = [...RESOURCE_TYPES, ...extraTypes];
  const store = await createFileStore({ dir: path.join(dir, 'store'), types, ...storeOpts });
  const api = createKubeApi({ store, types, log: silentLogger, version: '0.0.0-test', ...(services ? { services } : {}) });
  const token = randomBytes(16).toString('hex');
  const requests: TestKubeServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      accept: req.headers.accept ?? '',
      contentType: req.headers['content-type'] ?? '',
      authorization: req.headers.authorization ?? '',
    });
    if (!authorized(req.headers.authorization, token)) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    api.handle(req, res, url).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('not a Kubernetes API path\n');
        }
      },
      (err: Error) => {
        res.writeHead(500);
        res.end(err.message);
      },
    );
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    store,
    api,
    dir,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * kubectl (client-go) never sends a kubeconfig's bearer token over plain http (user credentials are only
 * loaded for https servers). Go's HTTP client does send the userinfo of the server URL as Basic auth, so the
 * test kubeconfig puts the token there (`http://kyma:<token>@127.0.0.1:<port>`) and this check accepts a
 * Basic password equal to the token, as the daemon must for stock kubectl over http.
 */
export function authorized(header: string | undefined, token: string): boolean {
  if (header === `Bearer ${token}`) return true;
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === token;
}

/** Writes a kubeconfig for the server into its temp dir and returns the path. */
export async function writeKubeconfig(s: TestKubeServer): Promise<string> {
  const file = path.join(s.dir, 'kubeconfig');
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kyma-local',
    `  cluster: { server: "${s.url.replace('http://', `http://kyma:${s.token}@`)}" }`,
    'users:',
    '- name: kyma-local',
    `  user: { token: "${s.token}" }`,
    'contexts:',
    '- name: kyma-local',
    '  context: { cluster: kyma-local, user: kyma-local, namespace: default }',
    'current-context: kyma-local',
    '',
  ].join('\n');
  await writeFile(file, text, { mode: 0o600 });
  return file;
}
