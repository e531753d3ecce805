import { ApiError, isRecord } from '../../model/index.js';
import { ROUTES, type EventOutcome, type EventQuery, type PublishInput, type ReplayOptions, type SubscriptionRef } from '../../api/index.js';
import type { EventsCapability } from '../../runtime.js';
import type { Router } from '../http/router.js';
import { readJson, sendError, sendJson, startNdjson } from '../http/toolkit.js';
import { capability, type CurrentRuntime } from './capability.js';

function eventing(runtime: CurrentRuntime): EventsCapability {
  return capability(runtime(), 'events').get();
}

function subRef(value: string | null | undefined): SubscriptionRef | undefined {
  if (!value) return undefined;
  const [namespace, name] = value.includes('/') ? value.split('/', 2) : ['default', value];
  return { namespace: namespace!, name: name! };
}


const OUTCOMES = new Set(['delivered', 'failed', 'pending', 'dead-lettered']);

/** The event inspector and publishing API under /kl/v1/events (CLI `events`, `publish`, dashboard). */
export function registerEventRoutes(router: Router, runtime: CurrentRuntime): void {
  router.add('GET', ROUTES.events, (_req, res, _p, url) => {
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
      sendJson(res, 200, { items: eventing(runtime).queryEvents(q) });
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.eventsStream, (req, res) => {
    let api: EventsCapability;
    try {
      api = eventing(runtime);
    } catch (err) {
      sendError(res, err);
      return;
    }
    const emit = startNdjson(res);
    const unsubscribe = api.subscribe((entry) => emit(entry));
    req.on('close', unsubscribe);
  });

  router.add('POST', ROUTES.eventsPublish, async (req, res) => {
    try {
      const body = await readJson(req);
      if (!isRecord(body) || typeof body.type !== 'string' || typeof body.source !== 'string') {
        throw new ApiError(400, 'BadRequest', 'publish needs a JSON body with "type" and "source" (and optional "data")');
      }
      sendJson(res, 200, await eventing(runtime).publish(body as unknown as PublishInput));
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.eventsPublishLegacy, async (req, res) => {
    try {
      const body = await readJson(req);
      if (!isRecord(body) || typeof body.app !== 'string' || !isRecord(body.event)) {
        throw new ApiError(400, 'BadRequest', 'legacy publish needs {"app": "<application>", "event": {"event-type", "event-type-version", "data"}}');
      }
      sendJson(res, 200, await eventing(runtime).publishLegacy(body.app, body.event));
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('GET', ROUTES.event, (_req, res, [id]) => {
    try {
      const ev = eventing(runtime).getEvent(id!);
      if (!ev) throw new ApiError(404, 'NotFound', `event ${id} not found (it may have been evicted by retention)`);
      sendJson(res, 200, ev);
    } catch (err) {
      sendError(res, err);
    }
  });

  router.add('POST', ROUTES.eventReplay, async (req, res, [id]) => {
    try {
      const body = await readJson(req);
      const opts: ReplayOptions = {};
      if (isRecord(body)) {
        if ('data' in body) opts.data = body.data;
        const sub = typeof body.subscription === 'string' ? subRef(body.subscription) : undefined;
        if (sub) opts.subscription = sub;
      }
      sendJson(res, 200, await eventing(runtime).replay(id!, opts));
    } catch (err) {
      sendError(res, err);
    }
  });
}
