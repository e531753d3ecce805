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

/** The CloudEvent to deliver from the JSON stored in JetStream: original type restored, `originaltype` dropped. */
export function deliverableEvent(storedJson: string): CloudEvent<unknown> {
  const o = JSON.parse(storedJson) as Record<string, unknown>;
  if (typeof o[ORIGINAL_TYPE_EXTENSION] === 'string') o['type'] = o[ORIGINAL_TYPE_EXTENSION];
  delete o[ORIGINAL_TYPE_EXTENSION];
  return new CloudEvent<unknown>(o, false);
}

/** POSTs the event to the sink in binary mode with trace headers; never throws. */
export async function deliver(
  sink: string,
  services: ServiceRegistry,
  event: CloudEvent<unknown>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  let target: string;
  try {
    target = resolveSink(sink, services);
  } catch (err) {
    return { ok: false, error: (err as Error).message, latencyMs: elapsed() };
  }
  const msg = HTTP.binary(event);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.headers)) if (typeof v === 'string') headers[k] = v;
  Object.assign(headers, traceHeadersFromExtensions(event as unknown as Record<string, unknown>));
  const body = msg.body === undefined || msg.body === null ? undefined : Buffer.isBuffer(msg.body) ? msg.body : String(msg.body as string);
  const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
  try {
    const res = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.any(signals) });
    await res.arrayBuffer().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, latencyMs: elapsed(), ...(ok ? {} : { error: `sink answered ${res.status}` }) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason =
      e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.cause?.code ?? e.cause?.message ?? e.message;
    return { ok: false, error: `POST ${target} failed: ${reason}`, latencyMs: elapsed() };
  }
}
