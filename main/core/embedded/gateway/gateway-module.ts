import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TracerProvider } from '@opentelemetry/api';
import type { ComponentState, ComponentStatus, GatewayCapability } from '../../runtime.js';
import type { Telemetry } from '../../telemetry/index.js';
import type { EmbeddedModule, ModuleContext } from '../module.js';
import { createOidcIssuer, DEFAULT_OIDC, OAuthError, type OidcIssuer, type OidcSettings } from '../oidc/index.js';
import { ApiError } from '../../model/index.js';
import { createServiceForwarder, type ServiceForwarder } from '../serverless/index.js';
import { ApiRuleController } from './apirule-controller.js';
import { createGatewayHandler, type AccessRecord } from './gateway-server.js';
import { hostUrls } from './hosts.js';
import { JwtVerifier } from './jwt-check.js';
import { tryCall } from './try-call.js';

export const GATEWAY_SERVICE = 'kyma-local/gateway';
export const GATEWAY_TRACER = 'kyma-local/gateway';
export const GATEWAY_METRICS = { requests: 'gateway_requests_total', duration: 'gateway_request_duration_ms' } as const;

export interface GatewayModuleOptions {
  /** Access log records and per-rule metrics go here. */
  telemetry?: Pick<Telemetry, 'recordLog' | 'recordMetric'>;
  /** The gateway's server spans (the root of each request's trace). */
  tracerProvider?: TracerProvider;
  /** Clients and users of the local OIDC issuer (default: a demo client and user). */
  oidc?: OidcSettings;
}

/** The gateway capability of the embedded runtime, plus what tests wait on. */
export interface GatewayApi extends GatewayCapability {
  settled(): Promise<void>;
}

export type GatewayModule = EmbeddedModule & { readonly api: GatewayApi };

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use — set spec.ports.gateway in the profile to a free port (0 = any)` : err.message)),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** The embedded api-gateway module: APIRule v2 served on a loopback listener, plus the local OIDC issuer. */
export function createGatewayModule(opts: GatewayModuleOptions = {}): GatewayModule {
  let state: ComponentState = 'Stopped';
  let message: string | undefined;
  let server: http.Server | undefined;
  let forwarder: ServiceForwarder | undefined;
  let controller: ApiRuleController | undefined;
  let issuer: OidcIssuer | undefined;
  let jwt: JwtVerifier | undefined;
  let port = 0;
  const tracer = opts.tracerProvider?.getTracer(GATEWAY_TRACER);

  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('The api-gateway module is not running; start the cluster with a profile that includes it (kyma-local up)');
    return v;
  };

  const onAccess = (r: AccessRecord): void => {
    const t = opts.telemetry;
    if (!t) return;
    const code = String(r.status);
    const attrs = { apirule: r.apirule ?? '-', code };
    t.recordMetric(GATEWAY_METRICS.requests, 'counter', 1, attrs, { help: 'Requests the API gateway answered, by APIRule and status code' });
    t.recordMetric(GATEWAY_METRICS.duration, 'histogram', r.durationMs, { apirule: r.apirule ?? '-' }, { help: 'Time from request to the end of the answer at the gateway, milliseconds', unit: 'ms' });
    t.recordLog({
      level: r.status >= 500 || r.status === 0 ? 'error' : r.status >= 400 ? 'warn' : 'info',
      body: `${r.method} ${r.host}${r.path} ${r.status} ${r.durationMs.toFixed(1)}ms${r.reason ? ` — ${r.reason}` : ''}`,
      attributes: {
        'http.method': r.method,
        'http.host': r.host,
        'http.target': r.path,
        'http.status_code': r.status,
        duration_ms: Math.round(r.durationMs * 10) / 10,
        ...(r.apirule ? { apirule: r.apirule } : {}),
        ...(r.rule !== undefined ? { rule: r.rule } : {}),
        ...(r.service ? { service: r.service } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
      },
      resource: { service: GATEWAY_SERVICE },
      ...(r.traceId ? { traceId: r.traceId } : {}),
      ...(r.spanId ? { spanId: r.spanId } : {}),
    });
  };

  const api: GatewayApi = {
    url: () => `http://127.0.0.1:${need(server ? port : undefined)}`,
    apiRules() {
      const table = need(controller).current();
      return table.routes.map((r) => {
        const u = hostUrls(r.host || 'unknown', port);
        return {
          namespace: r.namespace,
          name: r.name,
          host: r.host,
          url: `${u.url}/`,
          curl: `curl -H 'Host: ${u.hostHeader}' http://127.0.0.1:${port}/`,
          state: r.state,
          description: r.description,
          rules: r.rules.map((x) => ({
            path: x.path,
            methods: x.methods,
            auth: x.auth.kind,
            service: `${x.service.namespace}/${x.service.name}`,
            ...(x.auth.kind === 'jwt'
              ? { issuers: x.auth.authentications.map((a) => a.issuer), requiredScopes: x.auth.authorizations.map((z) => z.requiredScopes), audiences: x.auth.authorizations.map((z) => z.audiences) }
              : {}),
          })),
        };
      });
    },
    issuer() {
      const i = need(issuer);
      return { issuer: i.issuer, jwksUri: i.jwksUri, tokenEndpoint: i.tokenEndpoint, discovery: `${i.issuer}/.well-known/openid-configuration`, clients: i.settings().clients.map((c) => c.id), users: i.settings().users.map((u) => u.name) };
    },
    async mint(req) {
      try {
        return await need(issuer).mint(req);
      } catch (err) {
        // The issuer's refusals (unknown user, scope not allowed, bad ttl) are the caller's to fix.
        if (err instanceof OAuthError) throw new ApiError(400, 'BadRequest', err.message);
        throw err;
      }
    },
    async rotate() {
      const out = await need(issuer).rotate();
      jwt?.reset();
      return out;
    },
    tryIt(namespace, name, req) {
      const route = need(controller)
        .current()
        .routes.find((r) => r.namespace === namespace && r.name === name);
      if (!route) throw new ApiError(404, 'NotFound', `APIRule ${namespace}/${name} not found`);
      return tryCall(port, hostUrls(route.host, port).hostHeader, req);
    },
    settled: () => controller?.settled() ?? Promise.resolve(),
  };

  return {
    name: 'api-gateway',
    api,
    async start(ctx: ModuleContext) {
      state = 'Starting';
      const log = ctx.log.child({ component: 'api-gateway' });
      try {
        forwarder = createServiceForwarder(ctx.services, log);
        const handlerRef: { current?: http.RequestListener } = {};
        server = http.createServer((req, res) => {
          if (handlerRef.current) handlerRef.current(req, res);
          else {
            res.writeHead(503, { 'content-type': 'text/plain' });
            res.end('the API gateway is starting\n');
          }
        });
        server.keepAliveTimeout = 5000;
        await listen(server, ctx.profile.ports.gateway);
        port = (server.address() as AddressInfo).port;
        issuer = await createOidcIssuer({ stateDir: ctx.stateDir, issuer: `http://127.0.0.1:${port}/oidc`, settings: opts.oidc ?? ctx.profile.oidc ?? DEFAULT_OIDC, log: log.child({ component: 'oidc' }) });
        jwt = new JwtVerifier(log, issuer);
        const verifier = jwt;
        controller = new ApiRuleController(ctx.store, ctx.services, port, log, () => verifier.reset());
        controller.start();
        const ctl = controller;
        const iss = issuer;
        handlerRef.current = createGatewayHandler({
          table: () => ctl.current(),
          forwarder,
          jwt,
          log,
          ...(tracer ? { tracer } : {}),
          bodyLimitBytes: Math.max(1, ctx.profile.limits.requestBodyMb) * 1024 * 1024,
          issuer: (req, res, pathname) => iss.handle(req, res, pathname),
          onAccess,
          onServiceRequest: (host, ms, status, failed) => ctx.services.reportRequest(host, ms, status, failed),
        });
        ctx.endpoints.set('gateway', `http://127.0.0.1:${port}`);
        ctx.endpoints.set('oidc-issuer', issuer.issuer);
        state = 'Ready';
        message = `APIRules on http://<host>.localhost:${port}; OIDC issuer ${issuer.issuer}`;
      } catch (err) {
        state = 'Failed';
        message = `API gateway failed to start: ${(err as Error).message}`;
        throw new Error(message);
      }
    },
    async stop() {
      state = 'Stopping';
      await controller?.stop();
      controller = undefined;
      forwarder?.close();
      forwarder = undefined;
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        });
      }
      server = undefined;
      issuer = undefined;
      jwt = undefined;
      state = 'Stopped';
      message = undefined;
    },
    status(): ComponentStatus {
      return {
        name: 'api-gateway',
        kind: 'module',
        state,
        ...(message ? { message } : {}),
        ...(server && issuer ? { ports: { gateway: port }, urls: { gateway: `http://127.0.0.1:${port}`, issuer: issuer.issuer } } : {}),
      };
    },
  };
}
