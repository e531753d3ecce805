// The HTTP contract of the Node.js runtime (KYMA-SPEC.md §2) against one real worker process.
import { CloudEvent, HTTP } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GREET_MODULE, SWITCHBOARD } from './handlers.js';
import { startRecorder, type Recorder } from './recorder.js';
import { ensureBuilt, startWorker, type Worker } from './worker.js';

let worker: Worker;
let publisher: Recorder;

beforeAll(async () => {
  await ensureBuilt();
  publisher = await startRecorder();
  worker = await startWorker(
    { 'handler.js': SWITCHBOARD, 'package.json': '{"name":"fn"}', 'node_modules/greet/index.js': GREET_MODULE },
    {
      FUNC_NAME: 'orders',
      FUNC_RUNTIME: 'nodejs22',
      SERVICE_NAMESPACE: 'shop',
      MY_VAR: 'from-env',
      PUBLISHER_PROXY_ADDRESS: `${publisher.url}/publish`,
    },
  );
});

afterAll(async () => {
  await worker?.stop();
  await publisher?.close();
});

const post = (path: string, body: string | Buffer, contentType: string) =>
  fetch(`${worker.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('platform endpoints', () => {
  it('answers /healthz with 200 OK', async () => {
    const res = await fetch(`${worker.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
  });

  it('answers /favicon.ico with 204', async () => {
    expect((await fetch(`${worker.url}/favicon.ico`)).status).toBe(204);
  });

  it('serves Prometheus metrics with request counts by method/code and process metrics', async () => {
    await fetch(`${worker.url}/string`, { method: 'PUT' });
    const res = await fetch(`${worker.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="PUT",code="200",function="orders"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{function="orders",method="PUT",code="200"\} [1-9]/);
    expect(text).toMatch(/function_calls_total\{function="orders"\} [1-9]/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe('CORS', () => {
  it('answers OPTIONS itself, allowing what the preflight asks for', async () => {
    const res = await fetch(`${worker.url}/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'http://ui.local', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'x-token' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('PATCH');
    expect(res.headers.get('access-control-allow-headers')).toBe('x-token');
    expect(await res.text()).toBe('');
  });

  it('adds Access-Control-Allow-Origin to function responses', async () => {
    const res = await fetch(`${worker.url}/string`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('body parsing', () => {
  it('parses JSON', async () => {
    const body = await (await post('/echo', '{"a":[1,2]}', 'application/json')).json();
    expect(body).toMatchObject({ hasData: true, dataType: 'object', data: { a: [1, 2] }, ce: {}, isExpressRequest: true });
  });

  it('parses JSON scalars (non-strict, like upstream)', async () => {
    expect(await (await post('/echo', '"just a string"', 'application/json')).json()).toMatchObject({ data: 'just a string' });
  });

  it('passes text/* as a string', async () => {
    const body = await (await post('/echo', 'hello there', 'text/plain')).json();
    expect(body).toMatchObject({ dataType: 'string', data: 'hello there' });
  });

  it('parses urlencoded forms', async () => {
    const body = await (await post('/echo', 'a=1&b[c]=2', 'application/x-www-form-urlencoded')).json();
    expect(body).toMatchObject({ dataType: 'object', data: { a: '1', b: { c: '2' } } });
  });

  it('passes any other content type as a raw Buffer', async () => {
    const bytes = Buffer.from([0, 1, 2, 250]);
    const body = await (await post('/echo', bytes, 'application/octet-stream')).json();
    expect(body).toMatchObject({ dataType: 'buffer', data: bytes.toString('base64') });
  });

  it('leaves data absent when there is no body', async () => {
    const body = await (await fetch(`${worker.url}/echo`)).json();
    expect(body).toMatchObject({ hasData: false, method: 'GET' });
  });

  it('rejects a body over REQ_MB_LIMIT (1 MB) with 413', async () => {
    const res = await post('/echo', 'x'.repeat(1024 * 1024 + 10), 'text/plain');
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('REQ_MB_LIMIT');
    // A browser calling the function must be able to read the 413 too, like every other answer.
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post('/echo', '{"a":', 'application/json');
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('CloudEvents', () => {
  const ce = new CloudEvent({
    type: 'sap.kyma.custom.shop.order.created.v1',
    source: 'shop',
    id: 'A234-1234-1234',
    time: '2026-01-02T03:04:05.000Z',
    datacontenttype: 'application/json',
    eventtypeversion: 'v1',
    data: { orderId: 42 },
  });

  async function send(message: { headers: Record<string, unknown>; body: unknown }) {
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
    const res = await fetch(`${worker.url}/echo`, { method: 'POST', headers, body: String(message.body) });
    return res as Omit<Response, 'json'> & { json(): Promise<{ ce: Record<string, string>; data: unknown }> };
  }

  const expected = {
    'ce-type': 'sap.kyma.custom.shop.order.created.v1',
    'ce-source': 'shop',
    'ce-id': 'A234-1234-1234',
    'ce-specversion': '1.0',
    'ce-eventtypeversion': 'v1',
    'ce-datacontenttype': 'application/json',
    'ce-time': '2026-01-02T03:04:05.000Z',
  };

  it('reads a structured CloudEvent', async () => {
    const body = await (await send(HTTP.structured(ce))).json();
    expect(body.ce).toEqual(expected);
    expect(body.data).toEqual({ orderId: 42 });
  });

  it('reads a binary CloudEvent', async () => {
    const body = await (await send(HTTP.binary(ce))).json();
    expect(body.ce).toEqual(expected);
    expect(body.data).toEqual({ orderId: 42 });
  });

  it('reads a binary CloudEvent with text data', async () => {
    const textEvent = new CloudEvent({ type: 'a.b', source: 'src', datacontenttype: 'text/plain', data: 'hi' });
    const body = await (await send(HTTP.binary(textEvent))).json();
    expect(body.ce['ce-type']).toBe('a.b');
    expect(body.data).toBe('hi');
  });

  it('emitCloudEvent POSTs a structured CloudEvent to PUBLISHER_PROXY_ADDRESS', async () => {
    const res = await fetch(`${worker.url}/emit`, { method: 'POST' });
    expect(await res.json()).toEqual({ status: 204 });
    const got = await publisher.waitFor((r) => r.url === '/publish');
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    const event = HTTP.toEvent({ headers: got.headers, body: got.body.toString() }) as CloudEvent<unknown>;
    expect(event.type).toBe('order.created.v1');
    expect(event.source).toBe('myapp');
    expect(event.eventtypeversion).toBe('v1');
    expect(event.datacontenttype).toBe('application/json');
    expect(event.data).toEqual({ orderId: 7 });
    expect(got.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});

describe('responses', () => {
  it('sends an object as JSON', async () => {
    const res = await fetch(`${worker.url}/some/path`);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ path: '/some/path' });
  });

  it('sends a string as is', async () => {
    const res = await fetch(`${worker.url}/string`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('plain text');
  });

  it('sends an empty 200 for a falsy result', async () => {
    for (const path of ['/falsy', '/zero']) {
      const res = await fetch(`${worker.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
    }
  });

  it('applies setResponseStatus, setResponseHeader and setResponseContentType', async () => {
    const res = await fetch(`${worker.url}/custom`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await res.text()).toBe('a,b');
  });

  it('keeps a status set by the function when the result is empty', async () => {
    const res = await fetch(`${worker.url}/status-only`);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
  });

  it('answers a thrown string with 500 and that string', async () => {
    const res = await fetch(`${worker.url}/throw-string`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('bad input');
  });

  it('answers a rejected string with 500 and that string', async () => {
    const res = await fetch(`${worker.url}/reject`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('rejected text');
  });

  it('answers a thrown Error with 500 "Internal server error" (upstream hides the message)', async () => {
    for (const path of ['/throw-error', '/sync-throw-error']) {
      const res = await fetch(`${worker.url}${path}`);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('Internal server error');
    }
    expect(worker.stderr.join('\n')).toContain('Error: boom');
  });

  it('counts failures in function_failures_total', async () => {
    const text = await (await fetch(`${worker.url}/metrics`)).text();
    expect(text).toMatch(/function_failures_total\{function="orders"\} [1-9]/);
  });
});

describe('context and environment', () => {
  it('passes the documented context fields, env vars and modules from the handler folder', async () => {
    const body = await (await fetch(`${worker.url}/context`)).json();
    expect(body).toEqual({
      context: { 'function-name': 'orders', runtime: 'nodejs22', namespace: 'shop', timeout: 180, 'body-size-limit': 1 },
      env: 'from-env',
      greet: 'hello kyma',
      hasTracer: true,
    });
  });
});
