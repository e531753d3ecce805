// The embedded application-connector module: the central application gateway (8080 and 8082 forms, reachable from
// functions as central-application-gateway.kyma-system through the local mesh and from the host on loopback), the
// per-Application inbound events listener, Application status, and the spec catalog.
import http from 'node:http';
import path from 'node:path';
import type { TracerProvider } from '@opentelemetry/api';
import type { ApplicationsResponse, ApplicationView, GatewayCallRequest, GatewayCallResponse, ServiceSpecResponse } from '../../api/index.js';
import { ApiError, APPLICATION, applicationSpec, cleanTypeOrName, GATEWAY_NAMESPACE, GATEWAY_PORTS, GATEWAY_SERVICE, type KubeObject } from '../../model/index.js';
import type { ComponentState, ComponentStatus } from '../../runtime.js';
import type { EmbeddedModule, ModuleContext } from '../module.js';
import { CallLog } from './call-log.js';
import { CredentialCache } from './credentials.js';
import { handleProxy, type GatewayDeps } from './gateway.js';
import { handleInbound } from './inbound.js';
import { close, listen } from './listeners.js';
import { GatewayError } from './resolve.js';
import { SpecCatalog } from './spec-catalog.js';
import { ApplicationStatusController, type ConnectorUrls, type EntryStatus, type ServiceStatus } from './status.js';
import { GatewayTracing } from './tracing.js';
import { closeUpstreamAgents } from './upstream.js';

export interface AppConnectorModuleOptions {
  /** Where the gateway's spans go (the daemon's platform tracer provider). */
  tracerProvider?: TracerProvider;
  /** Upstream's proxyTimeout: how long a target may take to answer (default 10 000 ms). */
  timeoutMs?: number;
  /** Largest request body the gateway forwards (kept for the 401/403 retry); default 16 MiB. */
  maxBodyBytes?: number;
}

export interface AppConnectorApi {
  applications(): ApplicationsResponse;
  /** One call through the gateway, as function code would make it (the dashboard's console). */
  call(app: string, req: GatewayCallRequest): Promise<GatewayCallResponse>;
  spec(app: string, service: string, opts?: { refresh?: boolean }): Promise<ServiceSpecResponse>;
  /** Token-endpoint requests made so far (OAuth and CSRF), by URL. */
  tokenRequests(url: string): number;
  /** Resolves once Application status reflects every change seen so far. */
  settled(): Promise<void>;
}

export type AppConnectorModule = EmbeddedModule & { readonly api: AppConnectorApi };

const MAX_CONSOLE_BODY = 64 * 1024;

export function createAppConnectorModule(opts: AppConnectorModuleOptions = {}): AppConnectorModule {
  let state: ComponentState = 'Stopped';
  let message: string | undefined;
  let ctx: ModuleContext | undefined;
  let servers: http.Server[] = [];
  let urls: ConnectorUrls | undefined;
  let ports: Record<string, number> = {};
  let controller: ApplicationStatusController | undefined;
  let catalog: SpecCatalog | undefined;
  const credentials = new CredentialCache();
  const calls = new CallLog(500);
  const tracing = new GatewayTracing(opts.tracerProvider);

  const need = (): { ctx: ModuleContext; urls: ConnectorUrls; catalog: SpecCatalog } => {
    if (!ctx || !urls || !catalog) throw new ApiError(503, 'ServiceUnavailable', 'The application-connector module is not running; start the cluster first (kyma-local up)');
    return { ctx, urls, catalog };
  };

  function view(app: KubeObject): ApplicationView {
    const spec = applicationSpec(app);
    const st = (app.status ?? {}) as { state?: string; description?: string; services?: ServiceStatus[]; inbound?: { url: string; tokenSecret: string } };
    return {
      name: app.metadata.name,
      ...(spec.displayName ? { displayName: spec.displayName } : {}),
      ...(spec.description ? { description: spec.description } : {}),
      state: st.state ?? 'Pending',
      message: st.description ?? '',
      labels: app.metadata.labels ?? {},
      eventSource: cleanTypeOrName(app.metadata.name, app.metadata.labels),
      inbound: st.inbound ?? { url: '', tokenSecret: '' },
      services: spec.services.map((s, si) => {
        const ss = st.services?.find((x) => x.id === s.id) ?? st.services?.[si];
        return {
          id: s.id,
          name: s.name,
          ...(s.displayName ? { displayName: s.displayName } : {}),
          ...(s.description ? { description: s.description } : {}),
          gatewayPath: ss?.gatewayPath ?? '',
          entries: s.entries.map((e, ei) => {
            const es: EntryStatus | undefined = ss?.entries[ei];
            return {
              type: e.type,
              ...(e.name ? { name: e.name } : {}),
              ...(e.targetUrl ? { targetUrl: e.targetUrl } : {}),
              ...(e.specificationUrl ? { specificationUrl: e.specificationUrl } : {}),
              ...(es?.clusterUrl ? { clusterUrl: es.clusterUrl } : {}),
              ...(es?.hostUrl ? { hostUrl: es.hostUrl } : {}),
              ...(e.credentials
                ? { credentials: { type: e.credentials.type, secretName: e.credentials.secretName, secret: es?.credentials?.secret ?? 'Missing', csrf: Boolean(e.credentials.csrfInfo?.tokenEndpointURL) } }
                : {}),
              ...(e.requestParametersSecretName ? { requestParametersSecretName: e.requestParametersSecretName } : {}),
              served: es?.served ?? false,
              ...(es?.problem ? { problem: es.problem } : {}),
              specCached: false,
            };
          }),
        };
      }),
      recentCalls: calls.list(app.metadata.name, 50),
    };
  }

  const api: AppConnectorApi = {
    applications() {
      const { ctx: c, urls: u } = need();
      return {
        gateway: { hostUrl: u.gateway, compassHostUrl: u.compass, clusterUrl: `http://${GATEWAY_SERVICE}.${GATEWAY_NAMESPACE}:${GATEWAY_PORTS.proxy}`, inboundUrl: u.inbound },
        applications: c.store.list(APPLICATION).items.map(view),
      };
    },
    async call(app, r) {
      const { urls: u } = need();
      const started = performance.now();
      const rel = r.path.startsWith('/') ? r.path.slice(1) : r.path;
      const target = new URL(`${u.gateway}/${encodeURIComponent(app)}/${encodeURIComponent(r.service)}/${rel}`);
      return new Promise<GatewayCallResponse>((resolve, reject) => {
        const req = http.request(target, { method: r.method, headers: { ...(r.headers ?? {}) }, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          res.on('data', (c: Buffer) => {
            if (size < MAX_CONSOLE_BODY) chunks.push(c.subarray(0, MAX_CONSOLE_BODY - size));
            else truncated = true;
            size += c.length;
            if (size > MAX_CONSOLE_BODY) truncated = true;
          });
          res.once('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && k !== 'set-cookie') headers[k] = Array.isArray(v) ? v.join(', ') : v;
            resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8'), truncated, latencyMs: Math.round(performance.now() - started) });
          });
          res.once('error', reject);
        });
        req.once('error', reject);
        req.end(r.body);
      });
    },
    async spec(app, service, o) {
      try {
        return await need().catalog.get(app, service, o);
      } catch (err) {
        if (err instanceof GatewayError) throw new ApiError(err.status, err.status === 404 ? 'NotFound' : 'ServiceUnavailable', err.message);
        if (err instanceof ApiError) throw err;
        throw new ApiError(502, 'ServiceUnavailable', `fetching the specification of ${app}/${service} failed: ${(err as Error).message}`);
      }
    },
    tokenRequests: (url) => credentials.tokenRequests.get(url) ?? 0,
    settled: () => controller?.settled() ?? Promise.resolve(),
  };

  async function teardown(): Promise<void> {
    await controller?.stop();
    controller = undefined;
    if (ctx) {
      ctx.services.remove(GATEWAY_SERVICE, GATEWAY_NAMESPACE);
      ctx.endpoints.delete('application-gateway');
      ctx.endpoints.delete('application-inbound');
    }
    await Promise.all(servers.map((s) => close(s)));
    servers = [];
    closeUpstreamAgents();
    credentials.clear();
    urls = undefined;
    catalog = undefined;
  }

  return {
    name: 'application-connector',
    api,
    async start(c) {
      ctx = c;
      state = 'Starting';
      message = undefined;
      const log = c.log.child({ component: 'application-connector' });
      const deps: GatewayDeps = {
        store: c.store,
        log,
        credentials,
        calls,
        tracing,
        timeoutMs: opts.timeoutMs ?? 10_000,
        maxBodyBytes: opts.maxBodyBytes ?? 16 * 1024 * 1024,
      };
      try {
        const proxy = await listen(0, 'application gateway', (req, res) => handleProxy(deps, req, res, 'proxy'));
        servers.push(proxy.server);
        const compass = await listen(0, 'application gateway (compass)', (req, res) => handleProxy(deps, req, res, 'compass'));
        servers.push(compass.server);
        const publisher = (): string | undefined => {
          const p = c.endpoints.get('publisher');
          return p ? new URL(p).origin : undefined;
        };
        const inbound = await listen(0, 'application inbound events', (req, res) => handleInbound({ store: c.store, log, publisher }, req, res));
        servers.push(inbound.server);
        urls = { gateway: proxy.url, compass: compass.url, inbound: inbound.url };
        ports = { gateway: proxy.port, compass: compass.port, inbound: inbound.port };
        catalog = new SpecCatalog(path.join(c.stateDir, 'app-connector', 'specs'), deps);
        // Function code reaches the gateway by its cluster name; the mesh routes it here with the Host unchanged,
        // so the port the function used (8080/8081/8082) still picks the form.
        c.services.set(GATEWAY_SERVICE, GATEWAY_NAMESPACE, [{ host: '127.0.0.1', port: proxy.port }]);
        c.endpoints.set('application-gateway', proxy.url);
        c.endpoints.set('application-inbound', inbound.url);
        controller = new ApplicationStatusController(c.store, urls, log);
        await controller.start();
        state = 'Ready';
        message = `gateway ${proxy.url}, inbound events ${inbound.url}`;
        log.info('Application connector ready', { gateway: proxy.url, inbound: inbound.url });
      } catch (err) {
        state = 'Failed';
        message = (err as Error).message;
        await teardown();
        throw new Error(`Application connector failed to start: ${message}`);
      }
    },
    async stop() {
      state = 'Stopping';
      await teardown();
      state = 'Stopped';
      message = undefined;
    },
    status(): ComponentStatus {
      return {
        name: 'application-connector',
        kind: 'module',
        state,
        ...(message ? { message } : {}),
        ...(urls ? { ports: { ...ports }, urls: { gateway: urls.gateway, compassGateway: urls.compass, inbound: urls.inbound } } : {}),
      };
    },
  };
}
