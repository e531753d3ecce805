import { timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../model/index.js';
import { OsbError } from './osb-errors.js';
import { OSB_API_VERSION, type OsbBindRequest, type OsbCatalog, type OsbLastOperation, type OsbProvisionRequest } from './osb-types.js';

/** What a broker implements; the server does transport, auth, versions and the OSB status codes. */
export interface OsbBackend {
  catalog(): OsbCatalog;
  /** `created` false means an identical instance already existed (200 instead of 201); `operation` means async (202). */
  provision(id: string, req: OsbProvisionRequest, acceptsIncomplete: boolean): Promise<{ created: boolean; operation?: string }>;
  lastOperation(id: string, operation: string | undefined): OsbLastOperation | 'gone';
  /** 'gone' when there was no such instance (410). */
  deprovision(id: string, serviceId: string, planId: string): Promise<'ok' | 'gone'>;
  bind(instanceId: string, bindingId: string, req: OsbBindRequest): Promise<{ created: boolean; credentials: Record<string, unknown> }>;
  unbind(instanceId: string, bindingId: string): Promise<'ok' | 'gone'>;
}

export interface OsbServerOptions {
  backend: OsbBackend;
  username: string;
  password: string;
  /** 0 = any free port. Always bound to 127.0.0.1. */
  port: number;
  log: Logger;
}

export interface OsbServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** Serves `backend` as an OSB API v2.17 broker on loopback with basic auth. */
export async function startOsbServer(opts: OsbServerOptions): Promise<OsbServer> {
  const expected = Buffer.from(`Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`);
  const server = http.createServer((req, res) => {
    handle(opts, expected, req, res).catch((err: unknown) => {
      const e = err instanceof OsbError ? err : new OsbError(500, (err as Error).message ?? String(err));
      if (e.status >= 500) opts.log.error('broker request failed', { method: req.method, url: req.url, error: e.description });
      send(res, e.status, e.body());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new OsbError(413, `request body larger than ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new OsbError(400, `request body is not valid JSON: ${(err as Error).message}`, 'MalformedRequest');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OsbError(400, 'request body must be a JSON object', 'MalformedRequest');
  return v as Record<string, unknown>;
}

function versionOk(header: string | undefined): boolean {
  // The broker must refuse a missing header and a major version other than 2 (412, spec "API Version Header").
  const m = /^(\d+)\.(\d+)$/.exec(header ?? '');
  return !!m && m[1] === '2' && Number(m[2]) >= 12;
}

function authOk(expected: Buffer, header: string | undefined): boolean {
  const got = Buffer.from(header ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function requireIds(body: Record<string, unknown>): { service_id: string; plan_id: string } {
  if (typeof body.service_id !== 'string' || body.service_id === '') throw new OsbError(400, 'service_id is required', 'MalformedRequest');
  if (typeof body.plan_id !== 'string' || body.plan_id === '') throw new OsbError(400, 'plan_id is required', 'MalformedRequest');
  return { service_id: body.service_id, plan_id: body.plan_id };
}

function parameters(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const p = body.parameters;
  if (p === undefined || p === null) return undefined;
  if (typeof p !== 'object' || Array.isArray(p)) throw new OsbError(400, 'parameters must be a JSON object', 'MalformedRequest');
  return p as Record<string, unknown>;
}

async function handle(opts: OsbServerOptions, expectedAuth: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Loopback only, and no browser may drive it (DNS rebinding / cross-site requests).
  if (!LOOPBACK_HOST.test(req.headers.host ?? '') || req.headers.origin !== undefined) return send(res, 403, { description: 'foreign Host or cross-site request refused' });
  if (!authOk(expectedAuth, req.headers.authorization)) {
    res.setHeader('WWW-Authenticate', 'Basic realm="kyma-local service broker"');
    return send(res, 401, { description: 'basic authentication required (see the ServiceBroker "local" credentials Secret)' });
  }
  const apiVersion = req.headers['x-broker-api-version'];
  if (!versionOk(typeof apiVersion === 'string' ? apiVersion : undefined)) {
    return send(res, 412, { description: `X-Broker-API-Version header missing or unsupported (got ${JSON.stringify(apiVersion ?? null)}); this broker speaks ${OSB_API_VERSION}` });
  }
  const url = new URL(req.url ?? '/', 'http://broker');
  const q = url.searchParams;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const b = opts.backend;
  if (parts[0] !== 'v2') throw new OsbError(404, `no such path ${url.pathname}`);
  if (parts.length === 2 && parts[1] === 'catalog' && req.method === 'GET') return send(res, 200, b.catalog());
  if (parts[1] !== 'service_instances' || !parts[2]) throw new OsbError(404, `no such path ${url.pathname}`);
  const id = parts[2];
  const acceptsIncomplete = q.get('accepts_incomplete') === 'true';
  if (parts.length === 3) {
    if (req.method === 'PUT') {
      const body = await readJson(req);
      const ids = requireIds(body);
      const params = parameters(body);
      const r = await b.provision(id, { ...ids, ...(params ? { parameters: params } : {}) }, acceptsIncomplete);
      if (r.operation) return send(res, 202, { operation: r.operation });
      return send(res, r.created ? 201 : 200, {});
    }
    if (req.method === 'DELETE') {
      const r = await b.deprovision(id, q.get('service_id') ?? '', q.get('plan_id') ?? '');
      return send(res, r === 'gone' ? 410 : 200, {});
    }
    throw new OsbError(405, `${req.method} is not supported on ${url.pathname}`);
  }
  if (parts.length === 4 && parts[3] === 'last_operation' && req.method === 'GET') {
    const op = b.lastOperation(id, q.get('operation') ?? undefined);
    if (op === 'gone') return send(res, 410, {});
    return send(res, 200, op);
  }
  if (parts.length === 5 && parts[3] === 'service_bindings') {
    const bid = parts[4]!;
    if (req.method === 'PUT') {
      const body = await readJson(req);
      const ids = requireIds(body);
      const params = parameters(body);
      const r = await b.bind(id, bid, { ...ids, ...(params ? { parameters: params } : {}) });
      return send(res, r.created ? 201 : 200, { credentials: r.credentials });
    }
    if (req.method === 'DELETE') return send(res, (await b.unbind(id, bid)) === 'gone' ? 410 : 200, {});
  }
  throw new OsbError(404, `no such path ${req.method} ${url.pathname}`);
}
