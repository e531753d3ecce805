import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createExpressServer } from './express-server.js';

describe('createExpressServer', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it("builds requests and responses on the app's prototypes, so Express's per-request swap is a no-op, and Express's API still works", async () => {
    const app = express();
    const seen: { reqProto: boolean; resProto: boolean }[] = [];
    app.post('/echo/:id', express.json(), (req, res) => {
      seen.push({ reqProto: Object.getPrototypeOf(req) === app.request, resProto: Object.getPrototypeOf(res) === app.response });
      res.status(201).set('x-id', req.params.id).json({ got: req.body as unknown, query: req.query.q });
    });
    const server = createExpressServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/echo/7?q=x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-id')).toBe('7');
      expect(await res.json()).toEqual({ got: { a: 1 }, query: 'x' });
    }
    expect(seen).toEqual([
      { reqProto: true, resProto: true },
      { reqProto: true, resProto: true },
    ]);
  });
});
