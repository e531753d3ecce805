import { describe, expect, it } from 'vitest';
import { pauseAwareTimeout } from './debug-clock.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Holds the event loop like a debugger paused at a breakpoint does. */
function stall(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: no timer can run
  }
}

describe('pauseAwareTimeout', () => {
  it('fires after the given time when nothing stalls', async () => {
    let fired = false;
    pauseAwareTimeout(() => (fired = true), 100);
    await sleep(300);
    expect(fired).toBe(true);
  });

  it('does not count a stall (a debugger pause) towards the timeout', async () => {
    let fired = false;
    pauseAwareTimeout(() => (fired = true), 300);
    await sleep(60);
    stall(900);
    await sleep(60);
    expect(fired).toBe(false); // 900 ms passed on the wall clock, only ~120 ms of them active
    await sleep(600);
    expect(fired).toBe(true);
  });

  it('can be cancelled', async () => {
    let fired = false;
    const cancel = pauseAwareTimeout(() => (fired = true), 50);
    cancel();
    await sleep(150);
    expect(fired).toBe(false);
  });
});
