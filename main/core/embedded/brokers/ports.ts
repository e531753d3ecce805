import net from 'node:net';
import type { LocalInstance } from './offering.js';

/** A loopback port free right now; the instance keeps it for its lifetime so binding Secrets stay valid. */
export function pickPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The supervisor's name for an instance's server process. */
export function processName(inst: Pick<LocalInstance, 'offering' | 'id'>): string {
  return `svc/${inst.offering}/${inst.id}`;
}
