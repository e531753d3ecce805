// The floor under the eventing benchmark: the same path with nothing but the bare mechanics, run by
// bench/eventing.js against its own nats-server in the same run. One process is an HTTP server that publishes each
// POSTed body to JetStream and answers 204 after the ack, and a pull consumer (max_ack_pending = maxInFlight) that
// POSTs each message to a sink and acks on 2xx; another process is a bare node:http sink that parses the JSON.
// No validation, no type cleaning, no tracing, no inspector, no metrics: what Node.js, nats.js and HTTP cost here.
//
// Run as a child: `node eventing-floor.js proxy|sink` with FLOOR_* settings in the environment; prints
// {"ready":port} once listening. The sink answers GET with {"n": events received, "last": wall-clock ms of the last}.
import http from 'node:http';
import { AckPolicy, connect, RetentionPolicy, StorageType } from 'nats';
import { Agent, request } from 'undici';

const role = process.argv[2];

if (role === 'sink') {
  let n = 0;
  let last = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') return void res.end(JSON.stringify({ n, last }));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString());
      n++;
      last = performance.timeOrigin + performance.now();
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ ready: server.address().port })));
} else if (role === 'proxy') {
  const inFlight = Number(process.env.FLOOR_MAX_IN_FLIGHT ?? 10);
  const nc = await connect({ servers: process.env.FLOOR_NATS });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: 'FLOOR', subjects: ['floor.>'], storage: StorageType.File, retention: RetentionPolicy.Interest });
  await jsm.consumers.add('FLOOR', { durable_name: 'floor', ack_policy: AckPolicy.Explicit, max_ack_pending: inFlight });
  const js = nc.jetstream();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      js.publish('floor.bench', Buffer.concat(chunks)).then(
        () => res.writeHead(204).end(),
        () => res.writeHead(502).end(),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ ready: server.address().port })));
  const dispatcher = new Agent({ connections: 256 });
  const sink = process.env.FLOOR_SINK;
  const headers = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': 'bench.event.v1', 'ce-source': 'bench', 'ce-id': 'floor' };
  const messages = await (await js.consumers.get('FLOOR', 'floor')).consume({ max_messages: inFlight });
  for await (const m of messages) {
    request(sink, { method: 'POST', headers, body: m.data, dispatcher }).then(
      async (r) => {
        await r.body.dump();
        if (r.statusCode < 300) m.ack();
        else m.nak();
      },
      () => m.nak(),
    );
  }
}
