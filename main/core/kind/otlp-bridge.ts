import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { createListenerGuard } from '../listener-guard/index.js';
import { otlpRequestHandler, type Telemetry } from '../telemetry/index.js';
import { kindNetworkGateway } from './docker.js';

/**
 * The telemetry bridge: how a kind cluster's OTLP exports reach the daemon's telemetry stores.
 *
 * Pods cannot reach the host's loopback, so the daemon's OTLP receiver (127.0.0.1) is out of their reach. The
 * alternatives and why this one:
 * - a forwarding collector container on network `kind` (the portable recipe) needs an image, and none can be
 *   pulled offline; it would also still need a host listener to forward to;
 * - binding 0.0.0.0 would expose telemetry ingestion to every network the machine is on;
 * - so the bridge listens on the `kind` network's gateway IP ONLY: a private address of the host on the Docker
 *   bridge the cluster's node sits on, not bound on loopback or any other interface. Other machines do not
 *   reach it unless one of them deliberately routes that address to this host (Linux accepts packets for any
 *   of its addresses on any interface).
 * Docker Desktop is the exception: its `kind` network lives inside its VM, so the gateway is no address of this
 * machine; there the bridge binds 127.0.0.1 and pods use `host.docker.internal`, which Docker Desktop forwards
 * to the host's loopback (kind#2405) — a loopback listener like every other.
 * Because such a machine, other containers on that bridge and local processes can reach that IP, every request must
 * carry a random bearer token (generated per `up`, handed to the pipelines through a Secret); browsers are
 * refused outright (no legitimate browser sends here), the Host must be the gateway IP, only the OTLP/HTTP
 * paths are served, bodies are bounded in bytes, and connections are capped. Accepted requests go through the
 * same OTLP handling as the embedded runtime's receiver (telemetry/receiver.ts).
 */
export interface OtlpBridgeOptions {
  docker: Docker;
  telemetry: Telemetry;
  /** Docker network whose gateway the bridge binds (default `kind`). */
  network?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** Largest accepted body, compressed and decompressed. Default 8 MiB (the telemetry gateway batches far less). */
  maxBodyBytes?: number;
}

export interface OtlpBridge {
  /** The one address it listens on: the network's gateway IP (Docker Desktop: 127.0.0.1). */
  host: string;
  port: number;
  /** As pods see it: http://<gateway>:<port> (Docker Desktop: http://host.docker.internal:<port>). */
  endpoint: string;
  /** The bearer token a sender must present. */
  token: string;
  /** Requests refused so far (bad token, browser, Host): for diagnostics and tests. */
  refused(): number;
  close(): Promise<void>;
}

export const BRIDGE_MAX_BODY_BYTES = 8 * 1024 * 1024;
/**
 * The telemetry gateway's exporters keep a few connections each (3 pipelines); with the body cap this bounds what
 * authenticated senders can make the daemon buffer at once (32 × 8 MiB); unauthenticated bodies are never read.
 */
const MAX_CONNECTIONS = 32;

export interface BridgeAddress {
  /** The address the listener binds. */
  bind: string;
  /** The name or IP pods send to (the pipelines' endpoint host; the only Host accepted besides loopback names). */
  podHost: string;
}

/** Where the bridge listens, from the engine's OperatingSystem (`docker info`) and the network's gateway. */
export function chooseBridgeAddress(engineOs: string, gateway: string | undefined, network: string): BridgeAddress {
  if (/^docker desktop\b/i.test(engineOs.trim())) return { bind: '127.0.0.1', podHost: 'host.docker.internal' };
  if (!gateway) throw new Error(`Docker network "${network}" has no IPv4 gateway (or does not exist): the telemetry bridge has no address to listen on — is the kind cluster created?`);
  if (gateway.startsWith('127.') || gateway === '0.0.0.0') throw new Error(`Docker network "${network}" reports gateway ${gateway}; the telemetry bridge binds only a bridge network's gateway address`);
  return { bind: gateway, podHost: gateway };
}

export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of `Authorization: Bearer <token>` (hashes first, so lengths never leak). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

function isBrowserRequest(req: IncomingMessage): boolean {
  return req.headers.origin !== undefined || req.headers['sec-fetch-mode'] !== undefined || req.headers['sec-fetch-site'] !== undefined;
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  req.resume();
  const body = `${message}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

export async function startOtlpBridge(opts: OtlpBridgeOptions): Promise<OtlpBridge> {
  const network = opts.network ?? 'kind';
  const engineOs = ((await opts.docker.info()) as { OperatingSystem?: string }).OperatingSystem ?? '';
  const { bind: host, podHost } = chooseBridgeAddress(engineOs, await kindNetworkGateway(opts.docker, network), network);
  const token = opts.token ?? newBridgeToken();
  const guard = createListenerGuard({ listener: 'kind telemetry bridge', hosts: [podHost] });
  const otlp = otlpRequestHandler(opts.telemetry, opts.maxBodyBytes ?? BRIDGE_MAX_BODY_BYTES);
  let refusedCount = 0;
  const server = createServer((req, res) => {
    const verdict = guard.check(req);
    if (!verdict.ok) {
      refusedCount++;
      return refuse(req, res, 403, verdict.message);
    }
    if (isBrowserRequest(req)) {
      refusedCount++;
      return refuse(req, res, 403, 'forbidden: browser request; the kind telemetry bridge takes OTLP exports from the cluster only');
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      refusedCount++;
      return refuse(req, res, 401, `unauthorized: the kind telemetry bridge needs "Authorization: Bearer <token>" from Secret kyma-system/kyma-local-telemetry-bridge (re-created at every \`kyma-local up\`)`, {
        'WWW-Authenticate': 'Bearer realm="kyma-local telemetry bridge"',
      });
    }
    otlp(req, res);
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why =
        err.code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this machine — the Docker engine runs elsewhere (a remote DOCKER_HOST, or a VM other than Docker Desktop's), where pods cannot reach the daemon; cluster telemetry is not shown`
          : err.code === 'EADDRINUSE'
            ? `port ${opts.port ?? 0} is in use`
            : err.message;
      reject(Object.assign(new Error(`telemetry bridge could not listen on ${host}:${opts.port ?? 0}: ${why}`), { code: err.code }));
    };
    server.once('error', onError);
    server.listen({ host, port: opts.port ?? 0, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    endpoint: `http://${podHost}:${port}`,
    token,
    refused: () => refusedCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
