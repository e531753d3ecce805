import type { ServerResponse } from 'node:http';
import { ApiError, type KubeObject, type Logger } from '../../model/index.js';
import type { Store, WatchEvent, WatchOptions } from '../../store/index.js';
import type { ResourceRoute } from './routes.js';
import { toTable, type TableOptions } from './table.js';

/** How often a BOOKMARK is sent when the client allows them (the apiserver sends one about every minute). */
const BOOKMARK_INTERVAL_MS = 60_000;

export interface WatchRequest {
  res: ServerResponse;
  store: Store;
  route: ResourceRoute;
  query: URLSearchParams;
  log: Logger;
  /** Set when the client asked for Table output (`kubectl get -w`): every event object is a one-row Table. */
  table?: TableOptions;
  /** Open watch streams; this one is in it until its store listener is removed. */
  active: Set<ServerResponse>;
}

type WatchType = WatchEvent['type'] | 'BOOKMARK' | 'ERROR';

/**
 * Streams watch events as newline-delimited JSON over a chunked response, like the apiserver:
 * without a resourceVersion (or "0") every existing object is sent as ADDED first; with one, the store
 * replays what happened after it, and a version too old for the store's history ends the stream with an
 * ERROR event carrying a 410 Status (clients then relist).
 */
export function serveWatch(w: WatchRequest): void {
  const { res, store, route, query } = w;
  const opts: WatchOptions = {
    ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
    ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
    ...(fieldSelector(route, query) ? { fieldSelector: fieldSelector(route, query)! } : {}),
  };
  const rv = query.get('resourceVersion') ?? '';
  const sendInitial = query.get('sendInitialEvents') === 'true';
  const replay = rv !== '' && rv !== '0' && !sendInitial;
  const initial: KubeObject[] = replay ? [] : store.list(route.type, opts).items;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let headersSent = false;
  const send = (type: WatchType, object: unknown): void => {
    if (res.writableEnded || res.destroyed) return;
    let obj = object;
    if (w.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const o = object as KubeObject;
      obj = toTable(route.type, [o], o.metadata.resourceVersion ?? '', { ...w.table, noHeaders: headersSent });
      headersSent = true;
    }
    res.write(`${JSON.stringify({ type, object: obj })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>): void =>
    send('BOOKMARK', {
      kind: route.type.kind,
      apiVersion: route.type.group ? `${route.type.group}/${route.version}` : route.version,
      metadata: { resourceVersion: store.currentResourceVersion(), ...(annotations ? { annotations } : {}) },
    });

  for (const o of initial) send('ADDED', o);
  if (sendInitial && query.get('allowWatchBookmarks') === 'true') bookmark({ 'k8s.io/initial-events-end': 'true' });

  let unsubscribe: () => void = () => {};
  try {
    // Synchronous list + subscribe: no store event can slip in between the two.
    unsubscribe = store.watch(route.type, { ...opts, ...(replay ? { resourceVersion: rv } : {}) }, (ev) => send(ev.type, ev.object));
  } catch (err) {
    const status = err instanceof ApiError ? err.toStatus() : new ApiError(500, 'InternalError', (err as Error).message).toStatus();
    send('ERROR', status);
    res.end();
    return;
  }

  const timers: NodeJS.Timeout[] = [];
  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  if (timeout > 0) timers.push(setTimeout(() => res.end(), timeout * 1000));
  if (query.get('allowWatchBookmarks') === 'true') {
    const t = setInterval(() => bookmark(), BOOKMARK_INTERVAL_MS);
    t.unref();
    timers.push(t);
  }
  w.active.add(res);
  const cleanup = (): void => {
    w.active.delete(res);
    unsubscribe();
    timers.forEach((t) => clearTimeout(t));
    if (!res.writableEnded) res.end();
  };
  // 'close' on the response fires both when the client goes away and after our own end().
  res.once('close', cleanup);
  w.log.debug('Watch started', { kind: route.type.kind, namespace: route.namespace, resourceVersion: rv });
}

/** A watch on a single object (`GET .../name?watch=true`) is a collection watch on metadata.name. */
function fieldSelector(route: ResourceRoute, query: URLSearchParams): string | undefined {
  const given = query.get('fieldSelector') ?? '';
  if (route.name === undefined) return given || undefined;
  return [given, `metadata.name=${route.name}`].filter((s) => s !== '').join(',');
}
