// The Logs page under load: Chromium (Debian's, via playwright-core) shows the live tail while 5,000 log lines/s
// stream in for BENCH_SECONDS (default 30). Lines are fed through the daemon's real path (OTLP/HTTP JSON into the
// telemetry module → log store → /kl/v1/telemetry/stream → the page). If the daemon has no telemetry stream,
// an in-page mock stream stands in and the output says so ("feed": "in-page-mock").
// Figures: longest frame (requestAnimationFrame deltas after a 1 s warm-up), JS heap after a GC at the end,
// and lines per second the page actually moved into its view.
/* global window, requestAnimationFrame */ // page.evaluate callbacks run in the browser
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startHome } from './lib-daemon.js';
import { REPO, round } from './lib-proc.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RATE = Number(process.env.BENCH_LINES_PER_S ?? 5000);
const TICK_MS = 50;
const CHROMIUM = process.env.KYMA_LOCAL_CHROMIUM ?? '/usr/bin/chromium';

function otlpBatch(seq, n) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const logRecords = [];
  for (let i = 0; i < n; i++) {
    const k = seq * n + i;
    logRecords.push({
      timeUnixNano: String(now + BigInt(i)),
      severityNumber: k % 50 === 0 ? 17 : 9,
      severityText: k % 50 === 0 ? 'ERROR' : 'INFO',
      body: { stringValue: `order ${k} processed in ${(k % 97) + 3} ms by worker ${k % 4} — payload {"id":${k},"sku":"SKU-${k % 1000}"}` },
      attributes: [{ key: 'order.id', value: { intValue: String(k) } }],
      traceId: k.toString(16).padStart(32, '0'),
      spanId: k.toString(16).padStart(16, '0'),
    });
  }
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }, { key: 'faas.name', value: { stringValue: 'orders' } }, { key: 'k8s.namespace.name', value: { stringValue: 'default' } }] },
        scopeLogs: [{ scope: { name: 'bench' }, logRecords }],
      },
    ],
  };
}

/** Replaces fetch of the telemetry stream with a generated NDJSON stream at RATE lines/s (fallback only). */
function mockStreamScript(rate) {
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.includes('/kl/v1/telemetry/stream')) return realFetch(input, init);
    let k = 0;
    const enc = new TextEncoder();
    const body = new ReadableStream({
      start(ctl) {
        const timer = setInterval(() => {
          let s = '';
          for (let i = 0; i < rate / 20; i++, k++) {
            s += JSON.stringify({ type: 'log', time: new Date().toISOString(), timeMs: Date.now(), level: k % 50 ? 'info' : 'error', severityNumber: 9, body: `order ${k} processed (mock)`, attributes: {}, source: { service: 'orders', function: 'orders' }, resource: {} }) + '\n';
          }
          ctl.enqueue(enc.encode(s));
        }, 50);
        init?.signal?.addEventListener('abort', () => clearInterval(timer));
      },
    });
    return Promise.resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'application/x-ndjson' } }));
  };
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set KYMA_LOCAL_CHROMIUM)`);
  if (!existsSync(join(REPO, 'renderer', 'dist', 'index.html'))) throw new Error('The dashboard is not built: run npm run build');
  const home = await startHome('dashboard', ['telemetry']);
  const userDataDir = mkdtempSync(join(tmpdir(), 'kl-bench-chromium-'));
  let context;
  try {
    const ui = await fetch(`${home.url}/ui/`);
    if (ui.status !== 200) throw new Error(`the daemon does not serve the dashboard (/ui/ answered ${ui.status}) — is static-ui wired into the daemon?`);
    const otlp = home.components.telemetry?.urls?.otlp;
    const hasLogs = await home.api('/kl/v1/logs?limit=1').then(
      () => true,
      () => false,
    );
    const feed = otlp && hasLogs ? 'daemon-otlp' : 'in-page-mock';
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-precise-memory-info'],
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    if (feed === 'in-page-mock') {
      console.error('NOTE: no telemetry stream on this daemon — feeding the page from an IN-PAGE MOCK stream');
      await page.addInitScript(mockStreamScript, RATE);
    }
    const { path } = await home.api('/kl/v1/ui/login-code', { method: 'POST' });
    await page.goto(`${home.url}${path}`);
    await page.goto(`${home.url}/ui/logs`);
    await page.getByRole('heading', { name: 'Logs', exact: true }).waitFor();
    await page.waitForFunction(() => window.__klLogStats !== undefined);

    let sent = 0;
    let feeding;
    if (feed === 'daemon-otlp') {
      const perTick = Math.round((RATE * TICK_MS) / 1000);
      let seq = 0;
      feeding = setInterval(() => {
        const body = JSON.stringify(otlpBatch(seq++, perTick));
        sent += perTick;
        fetch(`${otlp}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch((err) => console.error(`feed: ${err.message}`));
      }, TICK_MS);
    }
    const cdp = await context.newCDPSession(page);
    const heapNow = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    // Frame deltas are recorded in the page; the first second (stream start, first big batch) is warm-up.
    await page.evaluate(() => {
      const w = window;
      w.__klFrames = { longest: 0, count: 0, since: performance.now() + 1000, longestTask: 0, tasks: 0 };
      // Long tasks tell page work (parse, render) apart from a frame lost to a busy machine.
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.startTime < w.__klFrames.since) continue;
          w.__klFrames.tasks++;
          w.__klFrames.longestTask = Math.max(w.__klFrames.longestTask, e.duration);
        }
      }).observe({ type: 'longtask' });
      let last = performance.now();
      const loop = (t) => {
        if (t > w.__klFrames.since) {
          w.__klFrames.longest = Math.max(w.__klFrames.longest, t - last);
          w.__klFrames.count++;
        }
        last = t;
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    const start = await page.evaluate(() => ({ shown: window.__klLogStats.shown, t: performance.now() }));
    // Heap after the first 10 s (buffers full) against the end: a bounded page does not keep growing.
    const firstPhase = Math.min(10, SECONDS);
    await new Promise((r) => setTimeout(r, firstPhase * 1000));
    // The forced GC stalls the page; frames around it measure the probe, not the dashboard.
    await page.evaluate(() => {
      window.__klFrames.since = performance.now() + 60_000;
    });
    const heap10 = await heapNow();
    await page.evaluate(() => {
      window.__klFrames.since = performance.now() + 500;
    });
    await new Promise((r) => setTimeout(r, (SECONDS - firstPhase) * 1000));
    if (feeding) clearInterval(feeding);
    const end = await page.evaluate(() => ({ shown: window.__klLogStats.shown, t: performance.now(), frames: window.__klFrames }));
    const heap = { usedSize: await heapNow() };
    const shownPerS = (end.shown - start.shown) / ((end.t - start.t) / 1000);
    console.error(`feed=${feed} sent=${sent} frames=${end.frames.count} rows in view=${await page.getByTestId('log-count').innerText()}`);
    console.log(
      JSON.stringify({
        bench: 'dashboard',
        feed,
        seconds: SECONDS,
        target_lines_per_s: RATE,
        long_tasks: end.frames.tasks,
        longest_task_ms: round(end.frames.longestTask, 1),
        longest_frame_ms: round(end.frames.longest, 1),
        js_heap_mb_10s: round(heap10 / 1024 / 1024, 1),
        js_heap_mb_end: round(heap.usedSize / 1024 / 1024, 1),
        heap_growth_pct: round(((heap.usedSize - heap10) / heap10) * 100, 1),
        lines_shown_per_s: Math.round(shownPerS),
      }),
    );
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
    await home.cleanup();
  }
}

await main();
