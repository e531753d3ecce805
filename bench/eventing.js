// Eventing end to end: HTTP POST /publish (binary CloudEvents) → publisher proxy → JetStream → dispatcher →
// a real function sink (deployed with `kyma-local dev`, Subscription declared in config.yaml), beside raw
// JetStream publish+consume with the `nats` client against the same nats-server in the same run, and the floor:
// the same HTTP → JetStream → HTTP path with bare Node.js mechanics only (eventing-floor.js, floor_per_s).
// The sink records, per phase, each event id once and (arrival − data.t); GET on it returns the stats.
// Phases: throughput (BENCH_EVENTS events, BENCH_PUBLISHERS concurrent publishers), latency at a moderate
// open-loop rate (BENCH_MODERATE_RATE/s), and a steady 500 events/s. lost = accepted (2xx) but never delivered.
// stderr shows the throughput phase's CPU per event per process; BENCH_CPU_SPLIT=1 splits it into the time
// publishers were sending and the drain after.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AckPolicy, connect, StorageType } from 'nats';
import { Pool } from 'undici';
import { cpuDelta, cpuTree, maxOf, percentile, round } from './lib-proc.js';
import { startHome, waitUntil, writeFunctionFolder } from './lib-daemon.js';

const total = Number(process.env.BENCH_EVENTS ?? 6000);
const publishers = Number(process.env.BENCH_PUBLISHERS ?? 64);
const moderateRate = Number(process.env.BENCH_MODERATE_RATE ?? 100);
const steadySec = Number(process.env.BENCH_STEADY_S ?? 6);
const maxInFlight = process.env.BENCH_MAX_IN_FLIGHT; // Subscription config.maxInFlightMessages; default: Kyma's 10
const now = () => performance.timeOrigin + performance.now(); // wall clock in ms, comparable across processes

const SINK = `const phases = {};
module.exports = { main: async (event) => {
  const d = event.data;
  if (d && typeof d === 'object' && typeof d.t === 'number') {
    const at = performance.timeOrigin + performance.now();
    const ph = (phases[d.p] ??= { ids: new Set(), dup: 0, lat: [], first: at, last: at });
    if (ph.ids.has(d.i)) ph.dup++;
    else { ph.ids.add(d.i); ph.lat.push(at - d.t); }
    ph.last = at;
    return 'ok';
  }
  return Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, { n: v.ids.size, dup: v.dup, lat: v.lat, first: v.first, last: v.last }]));
} };
`;
const SUB = `subscriptions:
  - name: bench-sink
    typeMatching: standard
    source: bench
    types:
      - bench.event.v1
`;

/** Starts a bench/eventing-floor.js child in `role`; resolves with its port once it listens. */
function floorChild(role, env) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('eventing-floor.js', import.meta.url)), role], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  floorChildren.push(child);
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(JSON.parse(String(d)).ready));
    child.once('exit', (code) => reject(new Error(`eventing-floor.js ${role} exited with ${code}`)));
  });
}
const floorChildren = [];

/** The floor pipeline with the same client, event count and concurrency as the throughput phase. */
async function floorRun(natsUrl, n, inFlight) {
  const sinkPort = await floorChild('sink', {});
  const proxyPort = await floorChild('proxy', { FLOOR_NATS: natsUrl, FLOOR_SINK: `http://127.0.0.1:${sinkPort}/`, FLOOR_MAX_IN_FLIGHT: String(inFlight) });
  const pool = new Pool(`http://127.0.0.1:${proxyPort}`, { connections: publishers });
  const sinkStats = async () => JSON.parse(await (await fetch(`http://127.0.0.1:${sinkPort}/`)).text());
  const t0 = now();
  let left = n;
  let accepted = 0;
  await Promise.all(Array.from({ length: publishers }, async () => {
    while (left-- > 0) {
      const res = await pool.request({ method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ t: now(), p: 'floor', i: left }) });
      await res.body.dump();
      if (res.statusCode < 300) accepted++;
    }
  }));
  await pool.close();
  let s = await sinkStats();
  for (const deadline = Date.now() + 30_000; s.n < accepted && Date.now() < deadline; s = await sinkStats()) await new Promise((r) => setTimeout(r, 100));
  for (const c of floorChildren) c.kill('SIGKILL');
  return { n: s.n, perS: s.n / ((s.last - t0) / 1000) };
}

const home = await startHome('eventing', ['serverless', 'eventing']);
let nc;
try {
  const publishUrl = new URL(home.components.eventing.urls.publisher);
  const natsUrl = home.components.nats.urls.nats;
  const fnDir = join(home.dir, 'sink');
  mkdirSync(fnDir);
  writeFunctionFolder(fnDir, 'sink', SINK, SUB);
  await home.api('/kl/v1/dev', { method: 'POST', body: JSON.stringify({ dirs: [fnDir] }) });
  const stats = () => home.api('/kl/v1/functions/default/sink/invoke');
  await waitUntil(async () => (await stats().catch(() => undefined)) !== undefined, 'the sink function', 60_000, 100);
  if (maxInFlight) {
    // config.yaml (Kyma CLI format) has no subscription config; set it on the Subscription like kubectl would.
    await home.api('/apis/eventing.kyma-project.io/v1alpha2/namespaces/default/subscriptions/bench-sink', {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { config: { maxInFlightMessages: String(maxInFlight) } } }),
    });
    await new Promise((r) => setTimeout(r, 500));
  }

  // undici as the load client: node:http's client costs about twice as much CPU per request, and on two cores
  // the client's CPU is taken from the system under test.
  const pool = new Pool(publishUrl.origin, { connections: publishers });
  let seq = 0;
  const publish = (phase) => {
    const i = seq++;
    return pool
      .request({
        method: 'POST',
        path: publishUrl.pathname,
        headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': 'bench.event.v1', 'ce-source': 'bench', 'ce-id': `b-${i}` },
        body: JSON.stringify({ t: now(), p: phase, i }),
      })
      .then(
        async (res) => {
          await res.body.dump();
          return res.statusCode >= 200 && res.statusCode < 300;
        },
        () => false,
      );
  };
  const accepted = {};
  const rejected = {};
  const count = (phase, ok) => (ok ? (accepted[phase] = (accepted[phase] ?? 0) + 1) : (rejected[phase] = (rejected[phase] ?? 0) + 1));
  // Waits until the sink has every accepted event of the phase, or nothing new arrived for 10 s.
  const settle = async (phase) => {
    let last = -1;
    let stillSince = Date.now();
    for (;;) {
      const s = (await stats())[phase] ?? { n: 0, lat: [] };
      if (s.n >= (accepted[phase] ?? 0)) return s;
      if (s.n !== last) [last, stillSince] = [s.n, Date.now()];
      if (Date.now() - stillSince > 10_000) return s;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const closedLoop = async (phase, n, conc) => {
    let left = n;
    await Promise.all(Array.from({ length: conc }, async () => {
      while (left-- > 0) count(phase, await publish(phase));
    }));
  };
  const openLoop = async (phase, rate, seconds) => {
    const t0 = performance.now();
    const n = Math.round(rate * seconds);
    const sent = [];
    for (let k = 0; k < n; k++) {
      const due = t0 + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sent.push(publish(phase).then((ok) => count(phase, ok)));
    }
    await Promise.all(sent);
  };

  // Warm-up: connections, JIT, the sink's first requests.
  await closedLoop('warm', 300, 16);
  const warm = await settle('warm');

  const cpu0 = [cpuTree(home.pid), process.cpuUsage()];
  const t0 = now();
  await closedLoop('tput', total, publishers);
  const publishMs = now() - t0;
  const split = process.env.BENCH_CPU_SPLIT ? { cpu: cpuTree(home.pid), n: ((await stats()).tput ?? { n: 0 }).n } : undefined;
  const tput = await settle('tput');
  if (split) console.error(`publishing: ${split.n} delivered meanwhile, CPU ms ${JSON.stringify(cpuDelta(cpu0[0], split.cpu))}; draining ${tput.n - split.n} in ${Math.round(tput.last - t0 - publishMs)} ms, CPU ms ${JSON.stringify(cpuDelta(split.cpu, cpuTree(home.pid)))}`);
  const eventsPerS = tput.n / ((tput.last - t0) / 1000);
  const own = process.cpuUsage(cpu0[1]);
  const cpuPerEvent = { ...cpuDelta(cpu0[0], cpuTree(home.pid), tput.n), 'bench client': round((own.user + own.system) / 1000 / tput.n, 3) };
  console.error(`throughput phase, CPU ms per event: ${JSON.stringify(cpuPerEvent)}`);
  console.error(`throughput: ${accepted.tput ?? 0} accepted (${rejected.tput ?? 0} rejected) in ${Math.round(publishMs)} ms publishing (${Math.round(((accepted.tput ?? 0) * 1000) / publishMs)}/s accepted); ${tput.n} delivered by +${Math.round(tput.last - t0)} ms; dup ${tput.dup}`);

  await openLoop('moderate', moderateRate, 3);
  const mod = await settle('moderate');
  await openLoop('r500', 500, steadySec);
  const r500 = await settle('r500');
  console.error(`moderate ${moderateRate}/s: p50 ${round(percentile(mod.lat, 50), 2)} p99 ${round(percentile(mod.lat, 99), 2)} ms; 500/s: p50 ${round(percentile(r500.lat, 50), 2)} p99 ${round(percentile(r500.lat, 99), 2)} max ${round(maxOf(r500.lat), 1)} ms`);
  await pool.close();

  console.error('raw JetStream phase…');
  // Raw JetStream, same server and message count: publish with `publishers` in flight, consume + ack each.
  nc = await connect({ servers: natsUrl });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['benchraw.>'], storage: StorageType.File });
  await jsm.consumers.add('BENCH_RAW', { durable_name: 'raw', ack_policy: AckPolicy.Explicit });
  const js = nc.jetstream();
  const consumer = await js.consumers.get('BENCH_RAW', 'raw');
  const rawStart = now();
  let got = 0;
  let rawLast = rawStart;
  const messages = await consumer.consume({ max_messages: 1000 });
  const consumed = (async () => {
    for await (const m of messages) {
      m.ack();
      rawLast = now();
      if (++got >= total) break;
    }
  })();
  let left = total;
  const payload = new TextEncoder().encode(JSON.stringify({ t: 0, p: 'raw', i: 0, pad: 'x'.repeat(40) }));
  await Promise.all(Array.from({ length: publishers }, async () => {
    while (left-- > 0) await js.publish('benchraw.bench.event', payload);
  }));
  await Promise.race([consumed, new Promise((r) => setTimeout(r, 30_000))]);
  const rawPerS = got / ((rawLast - rawStart) / 1000);
  console.error(`raw JetStream: ${got}/${total} consumed in ${Math.round(rawLast - rawStart)} ms`);

  console.error('floor phase (bare Node HTTP → JetStream → HTTP, bench/eventing-floor.js)…');
  const floor = await floorRun(natsUrl, total, Number(maxInFlight ?? 10));
  console.error(`floor: ${floor.n}/${total} delivered at ${Math.round(floor.perS)}/s`);

  const delivered = { warm, tput, moderate: mod, r500 };
  const lost = Object.entries(delivered).reduce((sum, [p, s]) => sum + Math.max(0, (accepted[p] ?? 0) - s.n), 0);
  console.log(
    JSON.stringify({
      bench: 'eventing',
      events_per_s: Math.round(eventsPerS),
      raw_js_per_s: Math.round(rawPerS),
      ratio: round(eventsPerS / rawPerS, 2),
      floor_per_s: Math.round(floor.perS),
      p50_ms: round(percentile(mod.lat, 50), 2),
      p99_ms_at_500: round(percentile(r500.lat, 99), 2),
      lost,
      rejected: Object.values(rejected).reduce((a, b) => a + b, 0),
      max_in_flight: Number(maxInFlight ?? 10),
    }),
  );
} finally {
  for (const c of floorChildren) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.race([nc?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
  await home.cleanup();
}
