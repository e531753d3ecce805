import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { procStartTime, psStartTime } from './proc.js';

describe('process identity for reaping', () => {
  it('reads a start time on this platform, stable for the same process', async () => {
    const first = await procStartTime(process.pid);
    expect(first).toBeDefined();
    expect(await procStartTime(process.pid)).toBe(first);
  });

  // macOS has no /proc: the same ps flags are used there. procps' ps on Linux accepts them too, so this runs here.
  it('ps -o lstart identifies a live process and gives nothing for a gone one', async () => {
    const started = await psStartTime(process.pid);
    expect(started).toMatch(/\d{2}:\d{2}:\d{2} \d{4}$/);
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    expect(await psStartTime(pid)).toBeUndefined();
  });
});
