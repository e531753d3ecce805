// The `event` and `context` objects a handler receives (upstream lib/ce.js and server.mjs).
import { withoutStacks } from './without-stacks.js';
import type { Tracer } from '@opentelemetry/api';
import { HTTP, type CloudEvent } from 'cloudevents';
import type { Request, Response } from 'express';
import type { RuntimeConfig } from './config.js';
import { emitCloudEvent, type EmitResponse } from './emit.js';
import { requestContext } from './server-span.js';

export interface FunctionEvent {
  data?: unknown;
  'ce-type'?: string;
  'ce-source'?: string;
  'ce-eventtypeversion'?: unknown;
  'ce-specversion'?: string;
  'ce-id'?: string;
  'ce-time'?: string;
  'ce-datacontenttype'?: string;
  tracer: Tracer;
  extensions: { request: Request; response: Response };
  setResponseHeader(key: string, value: string): void;
  setResponseContentType(type: string): void;
  setResponseStatus(status: number): void;
  emitCloudEvent(type: string, source: string, data: unknown, optionalAttributes?: Record<string, unknown>): Promise<EmitResponse>;
}

export interface FunctionContext {
  'function-name': string;
  runtime: string;
  namespace: string;
  timeout: number;
  'body-size-limit': number;
}

export class InvalidCloudEventError extends Error {}

/** A request with a non-empty body (chunked, or a positive Content-Length). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  return Number(req.headers['content-length'] ?? 0) > 0;
}

function isCloudEvent(req: Request): boolean {
  return Boolean(req.is('application/cloudevents+json')) || Boolean(req.get('ce-type') && req.get('ce-source'));
}

function cloudEventFields(req: Request): Partial<FunctionEvent> {
  let ce: CloudEvent<unknown>;
  try {
    ce = withoutStacks(() => HTTP.toEvent({ headers: req.headers, body: req.body as unknown })) as CloudEvent<unknown>;
  } catch (err) {
    throw new InvalidCloudEventError(`Invalid CloudEvent: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    'ce-type': ce.type,
    'ce-source': ce.source,
    'ce-eventtypeversion': ce.eventtypeversion,
    'ce-specversion': ce.specversion,
    'ce-id': ce.id,
    'ce-time': ce.time,
    'ce-datacontenttype': ce.datacontenttype,
    data: ce.data,
  };
}

export function buildEvent(req: Request, res: Response, tracer: Tracer, config: RuntimeConfig): FunctionEvent {
  const requestCtx = requestContext(req);
  const event: FunctionEvent = {
    tracer,
    extensions: { request: req, response: res },
    setResponseHeader: (key, value) => void res.set(key, value),
    setResponseContentType: (type) => void res.type(type),
    setResponseStatus: (status) => void res.status(status),
    emitCloudEvent: (type, source, data, optionalAttributes) =>
      emitCloudEvent({ address: config.publisherProxyAddress, tracer, requestCtx }, type, source, data, optionalAttributes),
  };
  // Express 4's body parsers leave `{}` on bodiless requests; upstream (Express 5) leaves no data there.
  if (!hasBody(req) || req.is('multipart/*')) return event;
  if (isCloudEvent(req)) return Object.assign(event, cloudEventFields(req));
  event.data = req.body as unknown;
  return event;
}

export function buildContext(config: RuntimeConfig): FunctionContext {
  return {
    'function-name': config.functionName,
    runtime: config.runtime,
    namespace: config.namespace,
    timeout: config.timeoutSec,
    'body-size-limit': config.bodyLimitMb,
  };
}
