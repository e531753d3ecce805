import { Writable } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import type { Logger } from '../model/index.js';
import { functionLineRecord, type RecordLogInput, type Telemetry } from '../telemetry/index.js';
import type { KubeClient, KubeObjectLike } from './kube-client.js';

/** Serverless labels every Function's pods with its name (buildless deployments included). */
export const FUNCTION_NAME_LABEL = 'serverless.kyma-project.io/function-name';
/** The runtime container of a Function pod. */
export const FUNCTION_CONTAINER = 'function';
/** Lines of an already running pod's past shown when the daemon starts following it. */
const TAIL_LINES = 200;
/**
 * A line longer than this many bytes is cut into pieces of this many characters (so at most 4× as many bytes in
 * UTF-8): a stream without newlines must not grow the buffer without bound.
 */
const MAX_LINE_BYTES = 64 * 1024;

interface PodRef {
  namespace: string;
  name: string;
  function: string;
}

interface StreamEntry {
  pod: PodRef;
  abort?: AbortController | undefined;
  /** sortableTime of the last line recorded. */
  lastTime?: string;
  retryMs?: number;
  timer?: NodeJS.Timeout;
  /** Bumped by every follow(): only the newest stream's end schedules a retry. */
  generation: number;
}

/** `<RFC3339Nano> <text>` (the log API with `timestamps=true`) → the kubelet's time and the line. */
export function splitTimestamp(raw: string): { time?: string; line: string } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/s.exec(raw);
  return m ? { time: m[1]!, line: m[2]!.replace(/\r$/, '') } : { line: raw.replace(/\r$/, '') };
}

/** RFC3339Nano trims trailing zeros ("…05.1Z" is later than "…05.12Z" as text): pad the fraction to compare. */
export function sortableTime(t: string): string {
  return t.replace(/(:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/, (_m, sec: string, frac: string | undefined, zone: string) => `${sec}.${(frac ?? '').padEnd(9, '0')}${zone}`);
}

/**
 * One line of a Function pod's log stream → a log record tagged like an embedded worker's lines (service and
 * function = the Function's name, namespace, replica = the pod). The log API merges stdout and stderr, so a
 * line without its own level is info.
 */
export function podLineRecord(raw: string, pod: PodRef, container = FUNCTION_CONTAINER): RecordLogInput | undefined {
  const { time, line } = splitTimestamp(raw);
  return functionLineRecord(line, { service: pod.function, function: pod.function, namespace: pod.namespace, replica: pod.name }, {
    fallback: 'info',
    attributes: { 'k8s.pod.name': pod.name, 'k8s.container.name': container },
    ...(time !== undefined ? { time } : {}),
  });
}

/** Splits a byte stream into lines (a partial last line waits for the next chunk), each at most MAX_LINE_BYTES. */
export function lineSink(onLine: (line: string) => void): Writable {
  let rest = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      rest += chunk.toString();
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        onLine(rest.slice(0, nl));
        rest = rest.slice(nl + 1);
      }
      while (Buffer.byteLength(rest) > MAX_LINE_BYTES) {
        onLine(rest.slice(0, MAX_LINE_BYTES));
        rest = rest.slice(MAX_LINE_BYTES);
      }
      done();
    },
    final(done) {
      if (rest !== '') onLine(rest);
      rest = '';
      done();
    },
  });
}

export interface PodLogFollowerOptions {
  client: KubeClient;
  telemetry: Telemetry;
  log: Logger;
}

/**
 * The fallback when the profile has no telemetry module (so no pipelines carry the cluster's logs): the log
 * streams of every Function pod, found by a watch on the function-name label across namespaces, followed into
 * the daemon's log store. A stream that ends while its pod still runs (container restart, API hiccup) is
 * picked up again from the last line's time.
 */
export class PodLogFollower {
  private readonly streams = new Map<string, StreamEntry>();
  private stopWatch: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: PodLogFollowerOptions) {}

  async start(): Promise<void> {
    await this.watchPods(true);
  }

  /** Pod keys (`namespace/name`) being followed now. */
  following(): string[] {
    return [...this.streams.keys()];
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    this.stopWatch = undefined;
    for (const s of this.streams.values()) {
      clearTimeout(s.timer);
      s.abort?.abort();
    }
    this.streams.clear();
  }

  /**
   * Watches Function pods (the watch's first events list those that exist). The first watch failing at once
   * (403, 404: no pods API, no rights) rejects `start`; a later one that ends is started again.
   */
  private async watchPods(first = false): Promise<void> {
    if (this.stopped) return;
    let returned = false;
    let refused: unknown;
    const again = (): void => {
      if (this.stopped) return;
      setTimeout(() => void this.watchPods().catch((e: unknown) => this.opts.log.warn(`function pod watch: ${(e as Error).message}`)), 2000);
    };
    this.stopWatch = await this.opts.client.watch(
      '/api/v1/pods',
      { labelSelector: FUNCTION_NAME_LABEL },
      (type, obj) => this.onPod(type, obj),
      (err) => {
        if (!returned && err) {
          refused = err;
          return;
        }
        if (this.stopped) return;
        if (err) this.opts.log.warn(`function pod watch ended: ${(err as Error).message}; watching again`);
        again();
      },
    );
    returned = true;
    if (refused === undefined) return;
    const status = (refused as { statusCode?: number }).statusCode;
    const message = `watching function pods failed${status ? ` (HTTP ${status})` : ''}: ${(refused as Error).message}`;
    if (first) throw new Error(message);
    this.opts.log.warn(`${message}; watching again`);
    again();
  }

  private onPod(type: string, obj: KubeObjectLike): void {
    const namespace = obj.metadata?.namespace;
    const name = obj.metadata?.name;
    const fn = obj.metadata?.labels?.[FUNCTION_NAME_LABEL];
    if (!namespace || !name || !fn) return;
    const key = `${namespace}/${name}`;
    const running = (obj.status as { containerStatuses?: Array<{ name?: string; state?: { running?: unknown } }> } | undefined)?.containerStatuses?.some((c) => c.name === FUNCTION_CONTAINER && c.state?.running !== undefined);
    if (type === 'DELETED' || !running) {
      if (type === 'DELETED') {
        const gone = this.streams.get(key);
        clearTimeout(gone?.timer);
        gone?.abort?.abort();
        this.streams.delete(key);
      }
      return;
    }
    const known = this.streams.get(key);
    if (known) {
      // The pod watch is re-established every few minutes (the API server ends watches) and lists every pod again:
      // restart the pod's stream from its last line, since a stream whose connection dropped (rather than ended)
      // gives no sign of it through client-node's Log.
      if (type === 'ADDED') this.restart(key, known);
      return;
    }
    const entry: StreamEntry = { pod: { namespace, name, function: fn }, generation: 0 };
    this.streams.set(key, entry);
    void this.follow(key, entry);
  }

  private restart(key: string, entry: StreamEntry): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.abort?.abort();
    entry.abort = undefined;
    void this.follow(key, entry);
  }

  private async follow(key: string, entry: StreamEntry): Promise<void> {
    const generation = ++entry.generation;
    const current = (): boolean => !this.stopped && this.streams.get(key) === entry && entry.generation === generation;
    let fresh = false;
    const sink = lineSink((raw) => {
      const { time } = splitTimestamp(raw);
      // A resumed stream starts at the last line's time: skip what was recorded already.
      if (time !== undefined && entry.lastTime !== undefined && sortableTime(time) <= entry.lastTime) return;
      if (time !== undefined) entry.lastTime = sortableTime(time);
      const record = podLineRecord(raw, entry.pod);
      if (!record) return;
      fresh = true;
      try {
        this.opts.telemetry.recordLog(record);
      } catch (err) {
        this.opts.log.warn(`log line of pod ${key} not recorded: ${(err as Error).message}`);
      }
    });
    sink.on('finish', () => {
      if (!current()) return;
      entry.abort = undefined;
      // Ended while the pod is still known (container restart, dropped connection): follow again, backing off
      // while nothing new arrives (a terminated container's stream ends at once).
      entry.retryMs = fresh ? 1000 : Math.min((entry.retryMs ?? 1000) * 2, 30_000);
      entry.timer = setTimeout(() => void this.follow(key, entry), entry.retryMs);
    });
    try {
      const abort = await new Log(this.opts.client.config).log(entry.pod.namespace, entry.pod.name, FUNCTION_CONTAINER, sink, {
        follow: true,
        timestamps: true,
        ...(entry.lastTime ? { sinceTime: entry.lastTime.replace(/\.\d+/, '') } : { tailLines: TAIL_LINES }),
      });
      if (current()) entry.abort = abort;
      else abort.abort();
    } catch (err) {
      if (!current()) return;
      const code = (err as { code?: number }).code;
      // 404: the pod is gone (its DELETED event may have been missed between watches); otherwise (400 while the
      // container starts, 5xx) try again later; the next watch cycle restarts it as well.
      if (code === 404) {
        this.streams.delete(key);
        return;
      }
      this.opts.log.warn(`cannot follow the logs of pod ${key}: ${(err as Error).message}`);
      entry.retryMs = Math.min((entry.retryMs ?? 1000) * 2, 30_000);
      entry.timer = setTimeout(() => void this.follow(key, entry), entry.retryMs);
    }
  }
}
