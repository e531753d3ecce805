// event.emitCloudEvent: POSTs a structured CloudEvent to PUBLISHER_PROXY_ADDRESS, like upstream's lib/ce.js.
// Upstream returns axios' promise; this resolves to an axios-shaped { status, statusText, headers, data } and
// rejects on a non-2xx status with error.response set, so handlers written against upstream keep working.
import { withoutStacks } from './without-stacks.js';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import { CloudEvent, HTTP } from 'cloudevents';

export interface EmitResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  data: unknown;
}

export type EmitError = Error & { response?: EmitResponse };

function dataContentType(data: unknown): string | undefined {
  if (typeof data === 'string') return 'text/plain';
  if (typeof data === 'object') return 'application/json';
  return undefined;
}

async function readResponse(res: globalThis.Response): Promise<EmitResponse> {
  const text = await res.text();
  let data: unknown = text;
  try {
    if (text) data = JSON.parse(text);
  } catch {
    // Not JSON: keep the text, as axios does.
  }
  return { status: res.status, statusText: res.statusText, headers: Object.fromEntries(res.headers), data };
}

export async function emitCloudEvent(
  opts: { address: string | undefined; tracer: Tracer; requestCtx: Context },
  type: string,
  source: string,
  data: unknown,
  optionalAttributes?: Record<string, unknown>,
): Promise<EmitResponse> {
  if (!opts.address) {
    throw new Error('emitCloudEvent: PUBLISHER_PROXY_ADDRESS is not set; enable the eventing module or set it in env');
  }
  const attributes: Record<string, unknown> = { ...(optionalAttributes ?? {}) };
  if (!attributes.datacontenttype) attributes.datacontenttype = dataContentType(data);
  const event = withoutStacks(() => new CloudEvent({ type, source, data, ...attributes }));
  const message = withoutStacks(() => HTTP.structured(event));

  // The user may call this after awaits that lost the async context; fall back to the request's context.
  const parent = trace.getSpan(context.active()) ? context.active() : opts.requestCtx;
  const span = opts.tracer.startSpan('POST', {
    kind: SpanKind.CLIENT,
    attributes: { 'http.method': 'POST', 'http.url': opts.address, 'cloudevents.event_type': type },
  }, parent);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers)) headers[k] = String(v);
  propagation.inject(trace.setSpan(parent, span), headers);
  try {
    const res = await fetch(opts.address, { method: 'POST', headers, body: String(message.body) });
    const response = await readResponse(res);
    span.setAttribute('http.status_code', res.status);
    if (res.status < 200 || res.status >= 300) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw Object.assign(new Error(`Request failed with status code ${res.status}`), { response }) as EmitError;
    }
    return response;
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}
