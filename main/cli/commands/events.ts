import type { Command } from 'commander';
import { apiPath, type AttemptRecord, type DeliverySummary, type EventSummary, type EventWithAttempts, type InspectorEntry } from '../../core/api/index.js';
import type { DaemonClient } from '../../core/daemon-client/index.js';
import { client } from '../context.js';
import { parseDataArg } from '../json-arg.js';
import { table, toYaml } from '../output.js';
import { eventFixture } from '../event-fixture.js';
import { CliError } from '../cli-error.js';

/** "delivered 200 12 ms", "failed ×3 500", "dead-lettered ×5", "pending". */
function deliveryText(d: DeliverySummary): string {
  const parts: string[] = [d.state];
  if (d.attempts > 1) parts.push(`×${d.attempts}`);
  if (d.statusCode !== undefined) parts.push(String(d.statusCode));
  else if (d.attempts > 0) parts.push('no answer');
  if (d.state === 'delivered' && d.latencyMs !== undefined) parts.push(`${Math.round(d.latencyMs)} ms`);
  return parts.join(' ');
}

function eventRow(e: EventSummary): Array<string | undefined> {
  const name = (d: DeliverySummary): string => `${d.subscription.namespace}/${d.subscription.name}`;
  if (e.deliveries.length === 0) return [e.publishedAt.slice(11, 23), e.id, e.type, e.source, '', e.note ? 'not observed (in the cluster)' : 'no subscriber'];
  return [e.publishedAt.slice(11, 23), e.id, e.type, e.source, e.deliveries.map(name).join(', '), e.deliveries.map(deliveryText).join(', ')];
}

function attemptLine(a: AttemptRecord): string {
  const status = a.statusCode ? String(a.statusCode) : 'no answer';
  return `  ${a.time.slice(11, 23)} → ${a.subscription.namespace}/${a.subscription.name} attempt ${a.attempt}: ${a.outcome} (${status}, ${Math.round(a.latencyMs)} ms)${a.error ? ` — ${a.error}` : ''}`;
}

/** The event as a reader wants it: what and when, its CloudEvent attributes and headers, the data, the attempts. */
export function eventText(ev: EventWithAttempts): string {
  const lines = [`${ev.id}  ${ev.type}  from ${ev.source}  published ${ev.publishedAt}${ev.traceId ? `  trace ${ev.traceId}` : ''}`];
  const section = (title: string, rec: Record<string, string>): void => {
    const keys = Object.keys(rec).sort();
    if (keys.length === 0) return;
    lines.push(`${title}:`, ...keys.map((k) => `  ${k}: ${rec[k]}`));
  };
  section('extensions', ev.extensions);
  if (Object.keys(ev.headers).length > 0) section('headers', ev.headers);
  else lines.push(`headers: none (${ev.via === 'publish' || ev.via === 'legacy' ? 'the publisher sent none' : `came in via ${ev.via}, not over HTTP`})`);
  lines.push(`data: ${JSON.stringify(ev.data)}${ev.dataTruncated ? ' (truncated)' : ''}`);
  if (ev.attempts.length > 0) lines.push('attempts:', ...ev.attempts.map(attemptLine));
  if (ev.note) lines.push(`note: ${ev.note}`);
  return lines.join('\n') + '\n';
}

/** Why the list is empty: no events at all, or none of the N kept failed. */
async function nothingShown(c: DaemonClient, q: URLSearchParams, failedOnly: boolean): Promise<string> {
  const publish = 'publish one with `kyma-local publish --type order.created.v1 --source myapp --data \'{"id":1}\'`';
  const all = new URLSearchParams(q);
  all.delete('outcome');
  all.set('limit', '1000000');
  const { items } = await c.request<{ items: EventSummary[] }>('GET', apiPath('events', {}, all));
  const filtered = q.has('type') || q.has('source') || q.has('subscription');
  if (items.length === 0) return filtered ? 'No events match these filters.' : `No events yet — ${publish}`;
  if (!failedOnly) return 'No events match these filters.';
  return `Nothing failed: none of the ${items.length} event(s)${filtered ? ' matching these filters' : ''} in the inspector failed or was dead-lettered.`;
}

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('list published events and their deliveries (the event inspector)')
    .option('-f, --follow', 'stream new events and delivery attempts', false)
    .option('--type <type>', 'only this event type')
    .option('--source <source>', 'only this source')
    .option('--subscription <ns/name>', 'only events for this subscription')
    .option('--failed', 'only events whose delivery failed or was dead-lettered', false)
    .option('--limit <n>', 'how many (newest first)', '50')
    .option('-o, --output <format>', 'json')
    .action(async (opts: { follow: boolean; type?: string; source?: string; subscription?: string; failed: boolean; limit: string; output?: string }) => {
      const c = await client();
      const q = new URLSearchParams();
      if (opts.type) q.set('type', opts.type);
      if (opts.source) q.set('source', opts.source);
      if (opts.subscription) q.set('subscription', opts.subscription);
      if (opts.failed) q.set('outcome', 'failed');
      q.set('limit', opts.limit);
      const { items } = await c.request<{ items: EventSummary[] }>('GET', apiPath('events', {}, q));
      let shown = items;
      if (opts.failed) {
        const dead = await c.request<{ items: EventSummary[] }>('GET', apiPath('events', {}, { ...Object.fromEntries(q), outcome: 'dead-lettered' }));
        shown = [...items, ...dead.items.filter((d) => !items.some((i) => i.id === d.id))];
      }
      if (opts.output === 'json') {
        process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
      } else if (shown.length === 0 && !opts.follow) {
        process.stderr.write(await nothingShown(c, q, opts.failed) + '\n');
      } else if (shown.length > 0) {
        process.stdout.write(table(['TIME', 'ID', 'TYPE', 'SOURCE', 'SUBSCRIPTIONS', 'DELIVERY'], [...shown].reverse().map(eventRow)) + '\n');
      }
      if (!opts.follow) return;
      await c.stream('GET', apiPath('eventsStream'), undefined, (item) => {
        const entry = item as InspectorEntry;
        if (entry.kind === 'event') {
          if (opts.type && entry.type !== opts.type) return;
          if (opts.source && entry.source !== opts.source) return;
          if (!opts.failed) process.stdout.write(`${entry.publishedAt.slice(11, 23)} event ${entry.id} ${entry.type} from ${entry.source}\n`);
        } else {
          if (opts.failed && entry.outcome === 'success') return;
          process.stdout.write(attemptLine(entry) + '\n');
        }
      });
    });

  program
    .command('event')
    .description('show one event with its payload and every delivery attempt')
    .argument('<id>', 'event id')
    .option('-o, --output <format>', 'json | yaml')
    .option('--as-fixture', "print the event as a test-kit request: invoke(handler, fixture) in the function's tests")
    .action(async (id: string, opts: { output?: string; asFixture?: boolean }) => {
      if (opts.output && opts.output !== 'json' && opts.output !== 'yaml') throw new CliError(`unknown output format "${opts.output}" — use -o json or -o yaml`);
      const c = await client();
      const ev = await c.request<EventWithAttempts>('GET', apiPath('event', { id }));
      if (opts.asFixture) {
        try {
          process.stdout.write(JSON.stringify(eventFixture(ev), null, 2) + '\n');
        } catch (err) {
          throw new CliError((err as Error).message);
        }
      } else if (opts.output === 'json') process.stdout.write(JSON.stringify(ev, null, 2) + '\n');
      else if (opts.output === 'yaml') process.stdout.write(toYaml(ev));
      else process.stdout.write(eventText(ev));
    });

  program
    .command('publish')
    .description('publish a CloudEvent through the publisher proxy (or a legacy event with --legacy APP)')
    .requiredOption('--type <type>', 'event type, e.g. order.created.v1 (legacy: event-type, e.g. order.created)')
    .option('--source <source>', 'event source (the application name)')
    .option('--data <json|@file>', 'payload')
    .option('--legacy <app>', 'use the legacy /<app>/v1/events API')
    .option('--event-type-version <v>', 'legacy event-type-version', 'v1')
    .action(async (opts: { type: string; source?: string; data?: string; legacy?: string; eventTypeVersion: string }) => {
      const c = await client();
      const data = parseDataArg(opts.data);
      if (opts.legacy) {
        const r = await c.request<{ id: string }>('POST', apiPath('eventsPublishLegacy'), {
          body: { app: opts.legacy, event: { 'event-type': opts.type, 'event-type-version': opts.eventTypeVersion, 'event-time': new Date().toISOString(), data } },
        });
        process.stdout.write(`published legacy event ${r.id}\n`);
        return;
      }
      if (!opts.source) throw new Error('--source is required (the CloudEvent source, e.g. your application name)');
      const r = await c.request<{ id: string; subject: string }>('POST', apiPath('eventsPublish'), { body: { type: opts.type, source: opts.source, ...(data !== undefined ? { data } : {}) } });
      process.stdout.write(`published ${r.id}${r.subject ? ` (subject ${r.subject})` : ''}\n`);
    });

  program
    .command('replay')
    .description('re-publish a stored event, optionally with edited data or to one subscription only')
    .argument('<id>', 'event id (see `kyma-local events`)')
    .option('--data <json|@file>', 'replace the payload')
    .option('--subscription <ns/name>', 'deliver only to this subscription')
    .action(async (id: string, opts: { data?: string; subscription?: string }) => {
      const c = await client();
      const body: Record<string, unknown> = {};
      if (opts.data !== undefined) body.data = parseDataArg(opts.data);
      if (opts.subscription) body.subscription = opts.subscription;
      const r = await c.request<{ id: string; attempt?: AttemptRecord }>('POST', apiPath('eventReplay', { id }), { body });
      process.stdout.write(`replayed as ${r.id}\n`);
      if (r.attempt) process.stdout.write(attemptLine(r.attempt) + '\n');
    });
}
