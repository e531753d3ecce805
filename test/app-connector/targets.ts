// Real HTTP servers standing in for an external system: an OAuth2 token server, APIs checking Basic/Bearer, a
// CSRF-protected endpoint, a target that fails with 500, one that sleeps and one that redirects.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ExternalSystem {
  url: string;
  /** Requests to /oauth/token. */
  tokenRequests: number;
  /** Requests that reached an API path (/api/...), in order. */
  seen: Seen[];
  /** Tokens the API accepts (the token server adds each it issues; tests revoke them). */
  validTokens: Set<string>;
  /** CSRF tokens the protected endpoint accepts. */
  validCsrf: Set<string>;
  csrfFetches: number;
  specFetches: number;
  close(): Promise<void>;
}

export const CLIENT = { id: 'shop-client', secret: 's3cr3t-client' };
/** The OpenAPI document the system serves (behind Basic) for its /basic API. */
export const ORDERS_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'Orders', version: '1.0.0' },
  paths: {
    '/orders/{id}': {
      get: {
        operationId: 'getOrder',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'expand', in: 'query', required: false, schema: { type: 'boolean' } },
        ],
        responses: { '200': { description: 'the order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } },
      },
    },
  },
  components: { schemas: { Order: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, total: { type: 'number' } } } } },
};

export const BASIC = { user: 'shopuser', password: 'p4ss-word' };

function readAll(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startExternalSystem(): Promise<ExternalSystem> {
  let n = 0;
  const sys: ExternalSystem = {
    url: '',
    tokenRequests: 0,
    seen: [],
    validTokens: new Set(),
    validCsrf: new Set(),
    csrfFetches: 0,
    specFetches: 0,
    close: () => Promise.resolve(),
  };
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const url = new URL(req.url ?? '/', 'http://x');
      const reply = (status: number, data: unknown, headers: http.OutgoingHttpHeaders = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      if (url.pathname === '/oauth/token') {
        sys.tokenRequests++;
        const form = new URLSearchParams(body);
        const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
        if (form.get('grant_type') !== 'client_credentials' || req.headers.authorization !== `Basic ${basic}` || form.get('client_secret') !== CLIENT.secret) {
          return reply(401, { error: 'invalid_client' });
        }
        const token = `tok-${++n}`;
        sys.validTokens.add(token);
        return reply(200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
      }
      if (url.pathname === '/csrf') {
        sys.csrfFetches++;
        if (req.headers['x-csrf-token']?.toString().toLowerCase() !== 'fetch') return reply(400, { error: 'no fetch header' });
        const t = `csrf-${sys.csrfFetches}`;
        sys.validCsrf.add(t);
        res.writeHead(200, { 'x-csrf-token': t, 'set-cookie': [`session=sess-${sys.csrfFetches}; Path=/; HttpOnly`] });
        return res.end();
      }
      if (url.pathname === '/spec/openapi.json') {
        sys.specFetches++;
        if (req.headers.authorization !== `Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64')}`) return reply(401, { error: 'spec needs Basic' });
        return reply(200, ORDERS_OPENAPI);
      }
      sys.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const auth = req.headers.authorization ?? '';
      if (url.pathname.startsWith('/basic/')) {
        const ok = auth === `Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64')}`;
        return ok ? reply(200, { ok: true, path: url.pathname, query: Object.fromEntries(url.searchParams), header: req.headers['x-tenant'] ?? null }) : reply(401, { error: 'bad basic' });
      }
      if (url.pathname.startsWith('/bearer/')) {
        const ok = auth.startsWith('Bearer ') && sys.validTokens.has(auth.slice(7));
        return ok ? reply(200, { ok: true, path: url.pathname, auth, traceparent: req.headers.traceparent ?? null }) : reply(401, { error: 'bad token' });
      }
      if (url.pathname.startsWith('/csrf-protected/')) {
        const token = req.headers['x-csrf-token']?.toString() ?? '';
        const cookie = req.headers.cookie ?? '';
        if (req.method !== 'GET' && (!sys.validCsrf.has(token) || !cookie.includes(`session=sess-${token.slice(5)}`))) {
          return reply(403, { error: 'CSRF token validation failed' }, { 'x-csrf-token': 'Required' });
        }
        return reply(201, { created: true, body: JSON.parse(body || '{}') as unknown });
      }
      if (url.pathname.startsWith('/fail/')) return reply(500, { error: 'boom' });
      if (url.pathname.startsWith('/sleep/')) return; // never answers: the gateway's timeout answers 504
      if (url.pathname.startsWith('/redirect-same/')) return reply(302, {}, { location: `${sys.url}/redirect-same/elsewhere?x=1` });
      if (url.pathname.startsWith('/redirect-away/')) return reply(302, {}, { location: 'http://127.0.0.1:9/stolen' });
      reply(404, { error: `no ${url.pathname}` });
    })();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sys.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sys.close = () =>
    new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return sys;
}

export function secret(name: string, values: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'kyma-system' }, type: 'Opaque', stringData: values };
}
