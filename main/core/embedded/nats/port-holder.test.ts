import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeHolder, findPortHolder, isPortFree, pickFreePort } from './port-holder.js';

describe('port holder', () => {
  it('finds nothing on a free port and this process on a port it listens on', async () => {
    const port = await pickFreePort();
    expect(await isPortFree(port)).toBe(true);
    expect(await findPortHolder(port)).toBeUndefined();
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    try {
      expect(await isPortFree(port)).toBe(false);
      expect(await findPortHolder(port)).toMatchObject({ pid: process.pid, uid: process.getuid!() });
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  it('describes identified, uninspectable and unknown holders', () => {
    expect(describeHolder({ pid: 123, name: 'nats-server', uid: 0 })).toBe('pid 123, nats-server');
    expect(describeHolder({ uid: 1000 })).toBe('held by a process of uid 1000 that this user cannot inspect');
    expect(describeHolder(undefined)).toBe('held by a process that could not be identified');
  });
});
