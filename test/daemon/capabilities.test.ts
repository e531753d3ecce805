// The daemon's routes with whichever runtime is up: a runtime without a capability gets a 501 that names it, one
// whose module is not running a 503, on a real HTTP server with the daemon's Router and route modules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '../../main/core/daemon/http/router.js';
import { registerEventRoutes } from '../../main/core/daemon/routes/events.js';
import { registerFunctionRoutes } from '../../main/core/daemon/routes/functions.js';
import { createEmbeddedRuntimeWithModules, EventingError } from '../../main/core/embedded/index.js';
import { createTelemetry } from '../../main/core/telemetry/index.js';
import { createFileStore, type FileStore } from '../../main/core/store/index.js';
import { RESOURCE_TYPES, silentLogger } from '../../main/core/model/index.js';
import type { Runtime } from '../../main/core/runtime.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A runtime that offers only the lifecycle — as the kind runtime may at first. */
function lifecycleOnly(): Runtime {
  return {
    kind: 'kind',
    capabilities: {},
    up: () => Promise.reject(new Error('not under test')),
    down: () => Promise.resolve(),
    status: () => ({ runtime: 'kind', phase: 'Stopped', components: [] }),
    apply: () => Promise.reject(new Error('not under test')),
    delete: () => Promise.resolve(),
    watch: () => () => undefined,
  };
}

let server: Server;
let base: string;
let dir: string;
let store: FileStore;
let current: Runtime;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kl-capabilities-'));
  store = await createFileStore({ dir: join(dir, 'resources'), types: RESOURCE_TYPES, log: silentLogger });
  const router = new Router();
  registerEventRoutes(router, () => current);
  registerFunctionRoutes(router, () => current);
  server = createServer((req, res) => {
    void router.handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).then((hit) => {
      if (!hit) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('routes over the current runtime', () => {
  it('answers 501 naming the runtime when it has no such capability', async () => {
    current = lifecycleOnly();
    for (const path of ['/kl/v1/events', '/kl/v1/functions', '/kl/v1/functions/default/hello/revisions']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(501);
      const body = (await res.json()) as { kind: string; reason: string; code: number; message: string };
      expect(body).toMatchObject({ kind: 'Status', reason: 'NotImplemented', code: 501 });
      expect(body.message).toMatch(/the kind runtime does not offer/);
    }
  });

  it('answers 503 with what to do when the embedded runtime has the capability but its module is not running', async () => {
    current = createEmbeddedRuntimeWithModules({ stateDir: join(dir, 'cluster'), store, log: silentLogger, telemetry: createTelemetry() });
    const events = await fetch(`${base}/kl/v1/events`);
    expect(events.status).toBe(503);
    expect(((await events.json()) as { reason: string; message: string })).toMatchObject({ reason: 'ServiceUnavailable', message: expect.stringMatching(/eventing is not running/) });
    const fns = await fetch(`${base}/kl/v1/functions`);
    expect(fns.status).toBe(503);
    expect(((await fns.json()) as { message: string }).message).toMatch(/serverless is not running/);
  });

  it('keeps the Status reason of an eventing error (not BadRequest for every non-404)', () => {
    expect(new EventingError(404, 'x').toStatus()).toMatchObject({ code: 404, reason: 'NotFound' });
    expect(new EventingError(400, 'x').toStatus()).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(new EventingError(502, 'x').toStatus()).toMatchObject({ code: 502, reason: 'ServiceUnavailable' });
    expect(new EventingError(507, 'x').toStatus()).toMatchObject({ code: 507, reason: 'InternalError' });
  });
});
