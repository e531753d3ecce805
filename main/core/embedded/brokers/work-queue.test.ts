import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('runs a key once more when it is triggered while running, never twice at once', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const q = new WorkQueue(
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        await tick(30);
        running--;
      },
      () => undefined,
    );
    q.add('a');
    await tick(5);
    q.add('a');
    q.add('a');
    await tick(120);
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    await q.stop();
  });

  it('keeps the sooner of two delayed runs and stops pending timers on stop', async () => {
    const seen: string[] = [];
    const q = new WorkQueue(async (k) => void seen.push(k), () => undefined);
    q.add('slow', 10_000);
    q.add('slow', 10);
    q.add('never', 50);
    await tick(30);
    await q.stop();
    await tick(60);
    expect(seen).toEqual(['slow']);
  });
});
