import http from 'node:http';
import https from 'node:https';

export class UpstreamTimeout extends Error {}

export interface UpstreamRequest {
  url: URL;
  method: string;
  headers: http.OutgoingHttpHeaders;
  body?: Buffer;
  /** Until the response head arrives; the body then streams without a limit, as a reverse proxy does. */
  timeoutMs: number;
  /** spec.skipVerify: accept any TLS certificate of the target. */
  skipVerify?: boolean;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  httpsInsecure: new https.Agent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: false }),
};

/** One request to an external system; never follows redirects (credentials must not travel to another host). */
export function sendUpstream(r: UpstreamRequest): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = r.url.protocol === 'https:';
    const agent = secure ? (r.skipVerify ? agents.httpsInsecure : agents.https) : agents.http;
    const headers = { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) };
    const req = (secure ? https : http).request(r.url, { method: r.method, headers, agent });
    const timer = setTimeout(() => req.destroy(new UpstreamTimeout(`no answer from ${r.url.host} within ${r.timeoutMs} ms`)), r.timeoutMs);
    req.once('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(r.body);
  });
}

/** Reads a whole (small) response body, failing past `max` bytes. */
export function readBody(stream: NodeJS.ReadableStream & { destroy?: () => void }, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        stream.removeAllListeners('data');
        stream.destroy?.();
        reject(new Error(`body larger than ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

export function closeUpstreamAgents(): void {
  for (const a of Object.values(agents)) a.destroy();
}
