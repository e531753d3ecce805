// A closed-loop HTTP load generator: N keep-alive connections, each sending its next request as soon as the
// previous response ends, for a fixed duration after a warm-up. Latencies of the measured phase only.
// `socketPath`: connect to a Unix socket (a function worker as the daemon runs it) instead of url's host:port.
import http from 'node:http';

export async function closedLoop({ url, socketPath, connections = 16, warmupMs = 1000, durationMs = 5000, method = 'GET', headers = {}, body, ok = (s) => s >= 200 && s < 300 }) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let measuring = false;
  let stopped = false;
  let count = 0;
  let failed = 0;
  const once = () =>
    new Promise((resolve) => {
      const t = performance.now();
      const req = http.request({ ...(socketPath ? { socketPath } : { host: target.hostname, port: target.port }), path: target.pathname + target.search, method, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ good: ok(res.statusCode ?? 0), ms: performance.now() - t }));
        res.on('error', () => resolve({ good: false, ms: 0 }));
      });
      req.on('error', () => resolve({ good: false, ms: 0 }));
      req.end(body);
    });
  const loop = async () => {
    while (!stopped) {
      const r = await once();
      if (!measuring) continue;
      count++;
      if (r.good) latencies.push(r.ms);
      else failed++;
    }
  };
  const loops = Array.from({ length: connections }, loop);
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  const elapsed = performance.now() - t0;
  stopped = true;
  await Promise.all(loops);
  agent.destroy();
  return { rps: count / (elapsed / 1000), latencies, failed, count };
}
