import http from 'node:http';
import { CloudEvent, HTTP } from 'cloudevents';
import type { ServiceRegistry } from '../module.js';
import { parseServiceHost } from '../services/index.js';
import { ORIGINAL_TYPE_EXTENSION } from './publisher.js';
import { traceHeadersFromExtensions } from './trace.js';

export interface DeliveryResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

const isLoopbackOrIp = (h: string): boolean =>
  h === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.startsWith('[') || h.includes(':');

/** Whether a host has one of the in-cluster service shapes (so it must resolve through the registry). */
export function isClusterHost(host: string): boolean {
  const h = host.toLowerCase();
  if (isLoopbackOrIp(h)) return false;
  return /\.svc(\.cluster\.local)?\.?$/.test(h) || (parseServiceHost(h) !== undefined && h.split('.').length === 2);
}

export type SinkCheck = { ok: true; cluster: boolean } | { ok: false; message: string };

/** Checks a sink URL without picking an endpoint: a cluster host must name a registered service. */
export function checkSink(sink: string, services: ServiceRegistry): SinkCheck {
  let url: URL;
  try {
    url = new URL(sink);
  } catch {
    return { ok: false, message: `sink ${JSON.stringify(sink)} is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `sink ${sink} must be http or https` };
  if (!isClusterHost(url.hostname)) return { ok: true, cluster: false };
  const svc = parseServiceHost(url.hostname);
  if (!svc || !services.names().includes(`${svc.name}.${svc.namespace}`)) {
    const what = svc ? `service "${svc.name}" not found in namespace "${svc.namespace}"` : `host ${url.hostname} is not a service name`;
    return {
      ok: false,
      message: `Sink does not correspond to a valid cluster local svc: ${what}; deliveries wait until a Function or Service with that name is running`,
    };
  }
  return { ok: true, cluster: true };
}

/** Turns a sink URL into the local URL to call (cluster host → a ready endpoint, round-robin). */
export function resolveSink(sink: string, services: ServiceRegistry): string {
  const url = new URL(sink);
  if (!isClusterHost(url.hostname)) return url.toString();
  const ep = services.pick(url.hostname);
  if (ep === undefined) throw new Error(`no service for sink host ${url.hostname}`);
  if (ep === null) throw new Error(`service for sink host ${url.hostname} has no ready endpoints`);
  url.protocol = 'http:';
  url.hostname = ep.host;
  url.port = String(ep.port);
  return url.toString();
}

/** The sink as the mesh sees it; unknown services fail here as they would in resolveSink. */
function meshTarget(url: URL, services: ServiceRegistry): string {
  const svc = parseServiceHost(url.hostname);
  if (!svc || !services.names().includes(`${svc.name}.${svc.namespace}`)) throw new Error(`no service for sink host ${url.hostname}`);
  return url.toString();
}

/** The CloudEvent to deliver from the JSON stored in JetStream: original type restored, `originaltype` dropped. */
export function deliverableEvent(storedJson: string): CloudEvent<unknown> {
  const o = JSON.parse(storedJson) as Record<string, unknown>;
  if (typeof o[ORIGINAL_TYPE_EXTENSION] === 'string') o['type'] = o[ORIGINAL_TYPE_EXTENSION];
  delete o[ORIGINAL_TYPE_EXTENSION];
  return new CloudEvent<unknown>(o, false);
}

export interface DeliverOptions {
  /** Trace headers to send (the delivery span's); default: those of the event's trace extensions. */
  traceHeaders?: Record<string, string>;
  /**
   * The serverless mesh (http://127.0.0.1:PORT). When set, cluster sinks are called through it with their Host,
   * so deliveries count in the function's request metrics and survive a revision switch like other calls.
   */
  mesh?: string | undefined;
}

/** POST through the mesh with the sink's Host (fetch would not send a Host of our choosing). */
function postViaMesh(mesh: string, sink: URL, headers: Record<string, string>, body: string | Buffer | undefined, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const m = new URL(mesh);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: m.hostname, port: m.port, method: 'POST', path: `${sink.pathname}${sink.search}`, headers: { ...headers, host: sink.host }, signal },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 300) text += c;
        });
        res.once('end', () => resolve({ status: res.statusCode ?? 502, text: text.trim().slice(0, 300) }));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** POSTs the event to the sink in binary mode with trace headers; never throws. */
export async function deliver(
  sink: string,
  services: ServiceRegistry,
  event: CloudEvent<unknown>,
  timeoutMs: number,
  signal?: AbortSignal,
  opts: DeliverOptions = {},
): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  const url = new URL(sink);
  const viaMesh = opts.mesh !== undefined && isClusterHost(url.hostname);
  let target: string;
  try {
    // Through the mesh, the mesh picks the endpoint (picking here too would skew its round-robin).
    target = viaMesh ? meshTarget(url, services) : resolveSink(sink, services);
  } catch (err) {
    return { ok: false, error: (err as Error).message, latencyMs: elapsed() };
  }
  const msg = HTTP.binary(event);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.headers)) if (typeof v === 'string') headers[k] = v;
  Object.assign(headers, opts.traceHeaders ?? traceHeadersFromExtensions(event as unknown as Record<string, unknown>));
  const body = msg.body === undefined || msg.body === null ? undefined : Buffer.isBuffer(msg.body) ? msg.body : String(msg.body as string);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signals = [timeout, ...(signal ? [signal] : [])];
  try {
    let status: number;
    let detail = '';
    if (viaMesh) ({ status, text: detail } = await postViaMesh(opts.mesh!, url, headers, body, AbortSignal.any(signals)));
    else {
      const res = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.any(signals) });
      await res.arrayBuffer().catch(() => undefined);
      status = res.status;
    }
    const ok = status >= 200 && status < 300;
    // The mesh's own 502/503 say why (no ready replica, connection refused); a function's error body is its business.
    const why = viaMesh && (status === 502 || status === 503) && detail ? `: ${detail}` : '';
    return { ok, statusCode: status, latencyMs: elapsed(), ...(ok ? {} : { error: `sink answered ${status}${why}` }) };
  } catch (err) {
    const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
    const reason =
      e.name === 'TimeoutError' || timeout.aborted ? `no answer within ${timeoutMs} ms` : e.code && e.code !== 'ABORT_ERR' ? e.code : e.cause?.code ?? e.cause?.message ?? e.message;
    return { ok: false, error: `POST ${target} failed: ${reason}`, latencyMs: elapsed() };
  }
}
