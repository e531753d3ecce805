import type { ServerResponse } from 'node:http';
import { ApiError, isRecord } from '../model/index.js';
import { EventingError, type EventOutcome, type EventQuery, type EventingApi, type PublishInput, type ReplayOptions, type SubscriptionRef } from '../embedded/index.js';
import type { ModuleHandles } from './modules.js';
import type { Router } from './router.js';
import { readJson, sendError, sendJson, startNdjson } from './http-util.js';

function eventing(handles: ModuleHandles): EventingApi {
  const m = handles.eventing;
  if (!m || m.status().state !== 'Ready') {
    throw new ApiError(503, 'ServiceUnavailable', 'eventing is not running — add it to the profile\'s modules and run `kyma-local up`');
  }
  return m.api;
}

function subRef(value: string | null | undefined): SubscriptionRef | undefined {
  if (!value) return undefined;
  const [namespace, name] = value.includes('/') ? value.split('/', 2) : ['default', value];
  return { namespace: namespace!, name: name! };
}

function fail(res: ServerResponse, err: unknown): void {
  if (err instanceof EventingError) {
    sendJson(res, err.status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.status === 404 ? 'NotFound' : 'BadRequest', code: err.status });
  } else sendError(res, err);
}

const OUTCOMES = new Set(['delivered', 'failed', 'pending', 'dead-lettered']);

/** The event inspector and publishing API under /kl/v1/events (CLI `events`, `publish`, dashboard). */
export function registerEventRoutes(router: Router, handles: ModuleHandles): void {
  router.add('GET', /^\/kl\/v1\/events$/, (_req, res, _p, url) => {
    try {
      const q: EventQuery = {};
      const sp = url.searchParams;
      if (sp.get('type')) q.type = sp.get('type')!;
      if (sp.get('source')) q.source = sp.get('source')!;
      const sub = subRef(sp.get('subscription'));
      if (sub) q.subscription = sub;
      const outcome = sp.get('outcome');
      if (outcome) {
        if (!OUTCOMES.has(outcome)) throw new ApiError(400, 'BadRequest', `outcome must be one of delivered, failed, pending, dead-lettered (got "${outcome}")`);
        q.outcome = outcome as EventOutcome;
      }
      if (sp.get('since')) q.since = sp.get('since')!;
      if (sp.get('until')) q.until = sp.get('until')!;
      if (sp.get('limit')) q.limit = Number(sp.get('limit'));
      sendJson(res, 200, { items: eventing(handles).queryEvents(q) });
    } catch (err) {
      fail(res, err);
    }
  });

  router.add('GET', /^\/kl\/v1\/events\/stream$/, (req, res) => {
    let api: EventingApi;
    try {
      api = eventing(handles);
    } catch (err) {
      fail(res, err);
      return;
    }
    const emit = startNdjson(res);
    const unsubscribe = api.subscribe((entry) => emit(entry));
    req.on('close', unsubscribe);
  });

  router.add('POST', /^\/kl\/v1\/events\/publish$/, async (req, res) => {
    try {
      const body = await readJson(req);
      if (!isRecord(body) || typeof body.type !== 'string' || typeof body.source !== 'string') {
        throw new ApiError(400, 'BadRequest', 'publish needs a JSON body with "type" and "source" (and optional "data")');
      }
      sendJson(res, 200, await eventing(handles).publish(body as unknown as PublishInput));
    } catch (err) {
      fail(res, err);
    }
  });

  router.add('POST', /^\/kl\/v1\/events\/publish-legacy$/, async (req, res) => {
    try {
      const body = await readJson(req);
      if (!isRecord(body) || typeof body.app !== 'string' || !isRecord(body.event)) {
        throw new ApiError(400, 'BadRequest', 'legacy publish needs {"app": "<application>", "event": {"event-type", "event-type-version", "data"}}');
      }
      sendJson(res, 200, await eventing(handles).publishLegacy(body.app, body.event));
    } catch (err) {
      fail(res, err);
    }
  });

  router.add('GET', /^\/kl\/v1\/events\/([^/]+)$/, (_req, res, [id]) => {
    try {
      const ev = eventing(handles).getEvent(id!);
      if (!ev) throw new EventingError(404, `event ${id} not found (it may have been evicted by retention)`);
      sendJson(res, 200, ev);
    } catch (err) {
      fail(res, err);
    }
  });

  router.add('POST', /^\/kl\/v1\/events\/([^/]+)\/replay$/, async (req, res, [id]) => {
    try {
      const body = await readJson(req);
      const opts: ReplayOptions = {};
      if (isRecord(body)) {
        if ('data' in body) opts.data = body.data;
        const sub = typeof body.subscription === 'string' ? subRef(body.subscription) : undefined;
        if (sub) opts.subscription = sub;
      }
      sendJson(res, 200, await eventing(handles).replay(id!, opts));
    } catch (err) {
      fail(res, err);
    }
  });
}
