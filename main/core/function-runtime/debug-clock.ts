// While a debugger holds the worker at a breakpoint, no JavaScript runs: timers fire late, all at once, when it
// resumes. FUNC_TIMEOUT must not count that time, or every breakpoint would end in a 408. A heartbeat measures
// the stalls (gaps far longer than its period); request timers subtract them.

const BEAT_MS = 50;
/** A gap longer than this is a stall (a pause), not ordinary event-loop lag. */
const STALL_MS = 250;

let stalled = 0;
let lastBeat = 0;
let started = false;

function start(): void {
  if (started) return;
  started = true;
  lastBeat = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - lastBeat > STALL_MS) stalled += now - lastBeat - BEAT_MS;
    lastBeat = now;
  }, BEAT_MS).unref();
}

/** Milliseconds the process has spent stalled so far, including a stall that has just ended. */
function stalledMs(): number {
  const gap = performance.now() - lastBeat;
  return stalled + (gap > STALL_MS ? gap - BEAT_MS : 0);
}

/**
 * Like setTimeout(fn, ms), but time spent paused in a debugger does not count. Returns a cancel function.
 */
export function pauseAwareTimeout(fn: () => void, ms: number): () => void {
  start();
  const begin = performance.now();
  const stalledAtBegin = stalledMs();
  let timer: NodeJS.Timeout;
  const arm = (delay: number): void => {
    timer = setTimeout(() => {
      const active = performance.now() - begin - (stalledMs() - stalledAtBegin);
      if (active >= ms) fn();
      else arm(ms - active);
    }, delay);
  };
  arm(ms);
  return () => clearTimeout(timer);
}
