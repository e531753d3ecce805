// The HTTP server for the Express app, built so that Express's per-request prototype swap costs nothing.
import http from 'node:http';
import type { Socket } from 'node:net';
import type express from 'express';

type Constructor = (...args: never[]) => unknown;

/** Node's IncomingMessage and ServerResponse are still plain constructor functions (not classes) in 20–24. */
function isCallableConstructor(f: unknown): f is Constructor {
  return typeof f === 'function' && !Function.prototype.toString.call(f).startsWith('class');
}

/**
 * Express's init middleware calls `Object.setPrototypeOf(req, app.request)` (and the same for `res`) on every
 * request. Changing an object's prototype sends V8 to slow, dictionary-mode objects, and everything Node's
 * HTTP internals then do with that request or response gets slower: measured here, a hello route ran at 0.6×
 * a bare `node:http` server. When Node constructs the request and response with `app.request` and
 * `app.response` as their prototypes from the start, the swap finds the prototype already in place and does
 * nothing, and the same route runs at bare speed. Express's behaviour (its `req`/`res` API) is unchanged.
 */
export function createExpressServer(app: express.Express): http.Server {
  const { IncomingMessage, ServerResponse } = http;
  if (!isCallableConstructor(IncomingMessage) || !isCallableConstructor(ServerResponse)) return http.createServer(app);
  function Request(this: http.IncomingMessage, socket: Socket): void {
    (IncomingMessage as unknown as (this: unknown, s: Socket) => void).call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: http.ServerResponse, req: http.IncomingMessage, options?: unknown): void {
    (ServerResponse as unknown as (this: unknown, r: http.IncomingMessage, o?: unknown) => void).call(this, req, options);
  }
  Response.prototype = app.response;
  return http.createServer(
    {
      IncomingMessage: Request as unknown as typeof http.IncomingMessage,
      ServerResponse: Response as unknown as typeof http.ServerResponse,
    },
    app,
  );
}
