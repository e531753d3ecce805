import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, failureStatus, isRecord } from '../../model/index.js';
import { INVOKE_DURATION_HEADER, INVOKE_FORWARD_PREFIX, ROUTES, type DebugInfo, type DebugSession } from '../../api/index.js';
import type { FunctionsCapability } from '../../runtime.js';
import type { Router } from '../http/router.js';
import { readJson, sendError, sendJson, sendStatus } from '../http/toolkit.js';
import { capability, type CurrentRuntime } from './capability.js';

function serverless(runtime: CurrentRuntime): FunctionsCapability {
  return capability(runtime(), 'functions').get();
}

/** The functions capability of a runtime that can debug; 501 naming the runtime where it cannot. */
function debugging(runtime: CurrentRuntime): FunctionsCapability {
  const api = serverless(runtime);
  if (!api.debug) throw new ApiError(501, 'NotImplemented', `the ${runtime().kind} runtime cannot start functions with a debugger attached`);
  return api;
}

/** Headers about this one connection; the proxy sets its own. */
const CONNECTION_LEVEL = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length']);
/** ...plus the daemon's own credentials and checks, which the function must never see. */
const HOP_BY_HOP = new Set([...CONNECTION_LEVEL, 'host', 'authorization', 'cookie', 'origin']);

/**
 * Proxies an invocation to the function through the mesh (the same path in-cluster callers take), so the CLI
 * and dashboard see exactly what another function would. The daemon's own credentials are not forwarded.
 */
function invoke(api: FunctionsCapability, ns: string, name: string, path: string, req: IncomingMessage, res: ServerResponse): void {
  const target = api.functionUrl(ns, name);
  const headers: Record<string, string | string[]> = { host: target.host };
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  // Headers the caller meant for the function itself (Origin for a CORS check, its own Authorization, …).
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || !k.startsWith(INVOKE_FORWARD_PREFIX)) continue;
    delete headers[k];
    const name = k.slice(INVOKE_FORWARD_PREFIX.length);
    if (name && name !== 'host' && !CONNECTION_LEVEL.has(name)) headers[name] = v;
  }
  Object.assign(headers, target.trustHeaders ?? {});
  const started = performance.now();
  const upstream = httpRequest(`${target.url}${path}`, { method: req.method ?? 'GET', headers }, (up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
    out[INVOKE_DURATION_HEADER] = (performance.now() - started).toFixed(1);
    res.writeHead(up.statusCode ?? 502, out);
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) sendStatus(res, failureStatus(502, 'ServiceUnavailable', `invoking ${ns}/${name} failed: ${err.message}`));
    else res.destroy(err);
  });
  req.pipe(upstream);
}

async function debugInfo(session: DebugSession): Promise<DebugInfo> {
  try {
    const res = await fetch(`http://127.0.0.1:${session.port}/json/list`, { signal: AbortSignal.timeout(2000) });
    const [target] = (await res.json()) as Array<{ webSocketDebuggerUrl?: string }>;
    const ws = target?.webSocketDebuggerUrl;
    if (!ws) return { session };
    return { session, webSocketDebuggerUrl: ws, devtoolsUrl: `devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=${ws.replace(/^ws:\/\//, '')}` };
  } catch {
    // The session is on; only the convenience URLs are missing (the inspector answers /json/list once it listens).
    return { session };
  }
}

/** Function details, revisions, rollback and invoke under /kl/v1/functions (CLI and dashboard). */
export function registerFunctionRoutes(router: Router, runtime: CurrentRuntime): void {
  router.add('GET', ROUTES.functions, (_req, res) => {
    try {
      sendJson(res, 200, { items: serverless(runtime).list() });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.function, (_req, res, [ns, name]) => {
    try {
      const api = serverless(runtime);
      const details = api.details(ns!, name!);
      if (!details) throw new ApiError(404, 'NotFound', `function ${ns}/${name} is not deployed (create it with kyma-local apply or kyma-local dev)`);
      sendJson(res, 200, { ...details, revisions: api.revisions(ns!, name!) });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.functionRevisions, (_req, res, [ns, name]) => {
    try {
      sendJson(res, 200, { items: serverless(runtime).revisions(ns!, name!) });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.functionRollback, async (req, res, [ns, name]) => {
    try {
      const body = await readJson(req);
      const to = isRecord(body) && body.to !== undefined ? Number(body.to) : undefined;
      if (to !== undefined && !Number.isInteger(to)) throw new ApiError(400, 'BadRequest', '"to" must be a revision number');
      sendJson(res, 200, await serverless(runtime).rollback(ns!, name!, to));
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError(400, 'BadRequest', (err as Error).message));
    }
  });

  router.add('GET', ROUTES.functionDebug, async (_req, res, [ns, name]) => {
    try {
      const session = debugging(runtime).debugSession?.(ns!, name!);
      if (!session) throw new ApiError(404, 'NotFound', `function ${ns}/${name} is not being debugged — start with kyma-local debug ${name}`);
      sendJson(res, 200, await debugInfo(session));
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.functionDebug, async (req, res, [ns, name]) => {
    try {
      const body = await readJson(req);
      const port = isRecord(body) && body.port !== undefined ? Number(body.port) : 9229;
      const brk = isRecord(body) && body.break === true;
      const session = await debugging(runtime).debug!(ns!, name!, { port, break: brk });
      if (!session) throw new Error('debug session did not start');
      sendJson(res, 200, await debugInfo(session));
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError(400, 'BadRequest', (err as Error).message));
    }
  });

  router.add('DELETE', ROUTES.functionDebug, async (_req, res, [ns, name]) => {
    try {
      await debugging(runtime).debug!(ns!, name!, undefined);
      sendJson(res, 200, { stopped: true });
    } catch (err) {
      sendError(res, err instanceof ApiError ? err : new ApiError(400, 'BadRequest', (err as Error).message));
    }
  });

  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    router.add(method, ROUTES.functionInvoke, (req, res, [ns, name, rest], url) => {
      try {
        invoke(serverless(runtime), ns!, name!, `${rest || '/'}${url.search}`, req, res);
      } catch (err) {
        sendError(res, err);
      }
    });
  }
}
