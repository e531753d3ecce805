import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

/**
 * A path template of core/api's route table as a regular expression: `:name` is one path segment (a capture),
 * a trailing `*` the optional rest of the path (a capture, '' when absent).
 */
export function templatePattern(template: string): RegExp {
  const rest = template.endsWith('*');
  const body = (rest ? template.slice(0, -1) : template)
    .split(/(:[a-zA-Z]+)/)
    .map((part) => (part.startsWith(':') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}${rest ? '(\\/.*)?' : ''}$`);
}

/** A minimal method+path router for the daemon's own (non-Kubernetes) API under /kl/v1. */
export class Router {
  private readonly routes: Route[] = [];

  /** `pattern`: a template from core/api's ROUTES (preferred) or a regular expression. */
  add(method: string, pattern: RegExp | string, handler: RouteHandler): this {
    this.routes.push({ method, pattern: typeof pattern === 'string' ? templatePattern(pattern) : pattern, handler });
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
      await r.handler(req, res, m.slice(1).map((s) => decodeURIComponent(s ?? '')), url);
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
