// The local stand-in for a cluster's DNS + service mesh. On a cluster, `http://hello.default.svc.cluster.local`
// resolves to a Service IP; locally there is no such DNS, so this hook sends connections for known service
// names to the daemon's mesh proxy, which routes by the (unchanged) HTTP Host header.
//
// Everything that opens a TCP connection in Node ends in net.Socket.prototype.connect: net.connect and
// net.createConnection create a Socket and call it, http.Agent uses net.createConnection (bound at load time,
// which is why patching net.createConnection alone would not reach http.request), tls.connect calls it on a
// TLSSocket, and Node 20's built-in fetch (undici) calls net.connect. So the prototype is the one place to patch.
import net from 'node:net';

export type MeshDecision = 'mesh' | 'notfound' | 'pass';

const CLUSTER_LOCAL = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/;
const SVC = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc$/;
const SHORT = /^([a-z0-9-]+)\.([a-z0-9-]+)$/;

/**
 * What to do with a connection to `host`: `<svc>.<ns>.svc[.cluster.local]` is a cluster name (known → mesh,
 * unknown → fail like DNS); `<svc>.<ns>` goes to the mesh only when known, since it may be a real domain.
 */
export function decideMeshRoute(host: string, known: ReadonlySet<string>): MeshDecision {
  const h = host.toLowerCase().replace(/\.$/, '');
  const full = CLUSTER_LOCAL.exec(h) ?? SVC.exec(h);
  if (full) return known.has(`${full[1]}.${full[2]}`) ? 'mesh' : 'notfound';
  const short = SHORT.exec(h);
  if (short && known.has(`${short[1]}.${short[2]}`)) return 'mesh';
  return 'pass';
}

export interface MeshHook {
  /** Replaces the set of known services (`name.namespace`). */
  setServices(services: readonly string[]): void;
  /** Restores the original net.Socket.prototype.connect. */
  uninstall(): void;
}

interface ConnectOptions {
  host?: string;
  port?: number | string;
  path?: string;
  lookup?: unknown;
  [key: string]: unknown;
}

type ConnectFn = (this: net.Socket, ...args: unknown[]) => net.Socket;

/** Splits the overloads of Socket#connect into (options, callback); undefined for IPC paths. */
function normalizeConnectArgs(args: unknown[]): [ConnectOptions, unknown] | undefined {
  const first = args[0];
  // net.connect passes its already-normalized [options, cb] array.
  if (Array.isArray(first)) return normalizeConnectArgs(first);
  if (first !== null && typeof first === 'object') return [first as ConnectOptions, args[1]];
  const cb = args.find((a) => typeof a === 'function');
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return [{ port: first, host: typeof args[1] === 'string' ? args[1] : 'localhost' }, cb];
  }
  return undefined;
}

function dnsNotFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    errno: -3008,
    code: 'ENOTFOUND',
    syscall: 'getaddrinfo',
    hostname,
  });
}

function parseMeshAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0) {
    throw new Error(`Invalid KYMA_LOCAL_MESH=${JSON.stringify(address)}: expected host:port, e.g. 127.0.0.1:15001`);
  }
  return { host: address.slice(0, i), port };
}

/** Installs the hook process-wide. `meshAddress` is `host:port` of the mesh proxy. */
export function installMesh(meshAddress: string, services: readonly string[]): MeshHook {
  const mesh = parseMeshAddress(meshAddress);
  let known = new Set(services.map((s) => s.toLowerCase()));
  const proto = net.Socket.prototype as unknown as { connect: ConnectFn };
  const original = proto.connect;

  proto.connect = function patchedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const normalized = normalizeConnectArgs(args);
    if (!normalized) return original.apply(this, args);
    const [options, cb] = normalized;
    if (options.path || typeof options.host !== 'string') return original.apply(this, args);
    const decision = decideMeshRoute(options.host, known);
    if (decision === 'mesh') {
      return original.call(this, { ...options, host: mesh.host, port: mesh.port, lookup: undefined }, cb);
    }
    if (decision === 'notfound') {
      // Fail through Node's own lookup path so that the error surfaces exactly like a DNS miss.
      const host = options.host;
      const lookup = (_h: string, _o: unknown, done: (err: Error) => void): void => done(dnsNotFound(host));
      return original.call(this, { ...options, lookup }, cb);
    }
    return original.apply(this, args);
  };

  return {
    setServices(next) {
      known = new Set(next.map((s) => s.toLowerCase()));
    },
    uninstall() {
      proto.connect = original;
    },
  };
}
