import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePathSegment } from '../model/index.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

/** A minimal method+regex router for the daemon's own (non-Kubernetes) API under /kl/v1. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: RegExp, handler: RouteHandler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  /** Returns false when no route matches the path; a path match with another method answers 405. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== req.method) continue;
      await r.handler(req, res, m.slice(1).map((s) => decodePathSegment(s ?? '')), url);
      return true;
    }
    if (pathMatched) {
      res.writeHead(405, { 'Content-Type': 'text/plain' });
      res.end(`method ${req.method} not allowed on ${url.pathname}\n`);
      return true;
    }
    return false;
  }
}

