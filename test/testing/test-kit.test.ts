// The test kit (`kyma-local/testing`) against the same runtime-contract cases as the worker tests:
// it must hand a handler the same event and context, and answer the same way, as a deployed function.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke, loadFunction, type LocalFunction } from '../../main/testing/index.js';
import { GREET_MODULE, SWITCHBOARD } from '../function-runtime/handlers.js';

let dir: string;
let fn: LocalFunction;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kl-kit-'));
  writeFileSync(path.join(dir, 'handler.js'), SWITCHBOARD);
  mkdirSync(path.join(dir, 'node_modules', 'greet'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'greet', 'index.js'), GREET_MODULE);
  fn = await loadFunction(path.join(dir, 'handler.js'), { functionName: 'orders', namespace: 'shop', timeoutSec: 1 });
});

afterAll(async () => {
  await fn?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('test kit: request and event', () => {
  it('passes a JSON body as event.data and hands the handler Express request/response', async () => {
    const r = await fn.invoke({ path: '/echo', data: { id: 1 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ hasData: true, dataType: 'object', data: { id: 1 }, method: 'POST', isExpressRequest: true });
  });

  it('passes text as a string and leaves data absent without a body', async () => {
    expect((await fn.invoke({ path: '/echo', data: 'hi' })).body).toMatchObject({ dataType: 'string', data: 'hi' });
    expect((await fn.invoke({ path: '/echo' })).body).toMatchObject({ hasData: false, method: 'GET' });
  });

  it('delivers a CloudEvent in binary mode with its ce-* fields', async () => {
    const r = await fn.invoke({ path: '/echo', cloudEvent: { type: 'order.created.v1', source: 'shop', id: 'e-1', data: { orderId: 7 }, eventtypeversion: 'v1' } });
    expect(r.body).toMatchObject({
      data: { orderId: 7 },
      ce: { 'ce-type': 'order.created.v1', 'ce-source': 'shop', 'ce-id': 'e-1', 'ce-specversion': '1.0', 'ce-eventtypeversion': 'v1' },
    });
  });

  it('passes query and headers through', async () => {
    const r = await fn.invoke({ path: '/echo', query: { a: '1' }, headers: { 'x-test': 'yes' }, method: 'PUT', data: { x: 1 } });
    expect(r.body).toMatchObject({ method: 'PUT' });
  });

  it('answers malformed JSON with 400', async () => {
    const r = await fn.invoke({ path: '/echo', headers: { 'content-type': 'application/json' }, data: '{"a":' });
    expect(r.status).toBe(400);
  });
});

describe('test kit: responses', () => {
  it('applies setResponseStatus, setResponseHeader and setResponseContentType', async () => {
    const r = await fn.invoke({ path: '/custom' });
    expect(r.status).toBe(201);
    expect(r.headers['x-custom']).toBe('yes');
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.text).toBe('a,b');
  });

  it('keeps a status set by the function when the result is empty', async () => {
    expect((await fn.invoke({ path: '/status-only' })).status).toBe(202);
  });

  it('carries CORS like the runtime', async () => {
    const r = await fn.invoke({ path: '/string' });
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.body).toBe('plain text');
  });

  it('answers thrown strings, rejections and Errors with 500 as upstream', async () => {
    expect(await fn.invoke({ path: '/throw-string' })).toMatchObject({ status: 500, text: 'bad input' });
    expect(await fn.invoke({ path: '/reject' })).toMatchObject({ status: 500, text: 'rejected text' });
    expect(await fn.invoke({ path: '/throw-error' })).toMatchObject({ status: 500, text: 'Internal server error' });
  });

  it('passes the documented context fields and resolves modules from the handler folder', async () => {
    const r = await fn.invoke({ path: '/context' });
    expect(r.body).toMatchObject({ context: { 'function-name': 'orders', namespace: 'shop', timeout: 1, 'body-size-limit': 1 }, greet: 'hello kyma', hasTracer: true });
  });

  it('captures emitCloudEvent instead of publishing it', async () => {
    const r = await fn.invoke({ path: '/emit' });
    expect(r.body).toEqual({ status: 204 });
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]).toMatchObject({ type: 'order.created.v1', source: 'myapp', data: { orderId: 7 }, eventtypeversion: 'v1' });
    expect((await fn.invoke({ path: '/string' })).emitted).toEqual([]);
  });

  it('enforces FUNC_TIMEOUT with 408', async () => {
    const slow = { main: () => new Promise((resolve) => setTimeout(() => resolve('late'), 3000)) };
    const r = await invoke(slow, {}, { timeoutSec: 0.2 });
    expect(r.status).toBe(408);
  });

  it('rejects a body over REQ_MB_LIMIT with 413', async () => {
    const r = await fn.invoke({ path: '/echo', data: 'x'.repeat(1024 * 1024 + 10) });
    expect(r.status).toBe(413);
  });
});

describe('test kit: loading', () => {
  it('takes a module object, a file URL, or a path', async () => {
    expect((await invoke({ main: (e: { data: { n: number } }) => ({ twice: e.data.n * 2 }) }, { data: { n: 21 } })).body).toEqual({ twice: 42 });
    expect((await invoke(pathToFileURL(path.join(dir, 'handler.js')), { path: '/string' })).text).toBe('plain text');
  });

  it('names the file when handler.js does not export main', async () => {
    const bad = path.join(dir, 'bad.js');
    writeFileSync(bad, 'module.exports = {};\n');
    await expect(invoke(bad)).rejects.toThrow(/must export a main function/);
  });
});

describe('kyma-local test', () => {
  it("runs a scaffolded folder's tests with the kit resolved, and fails when a test fails", async () => {
    const { createTestHome } = await import('../helpers/cli.js');
    const home = await createTestHome();
    try {
      await home.cli(['init', 'function', 'greeter']);
      const ok = await home.cli(['test', 'greeter'], { reject: false });
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).toContain('ok 1 - greets by name');
      writeFileSync(path.join(home.dir, 'greeter', 'handler.js'), "module.exports = { main: () => ({ message: 'nope' }) };\n");
      const bad = await home.cli(['test', 'greeter'], { reject: false });
      expect(bad.exitCode).toBe(1);
      expect(bad.stdout).toContain('not ok 1 - greets by name');
    } finally {
      await home.cleanup();
    }
  });
});
