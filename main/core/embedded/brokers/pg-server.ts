// The postgresql offering's server process (one per instance, started by the supervisor): PGlite with its data dir,
// served by pglite-socket on a private Unix socket, behind a loopback TCP front that asks for the binding's password
// (PostgreSQL cleartext password auth) before it splices the client through. pglite-socket itself accepts anyone.
import { timingSafeEqual } from 'node:crypto';
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) {
    process.stderr.write(`pg-server: ${k} is not set\n`);
    process.exit(2);
  }
  return v;
};

const dataDir = env('PG_DATA_DIR');
const port = Number(env('PG_PORT'));
const user = env('PG_USER');
const password = Buffer.from(env('PG_PASSWORD'));
const maxConnections = Number(process.env.PG_MAX_CONNECTIONS ?? '10');
const socketPath = path.join(os.tmpdir(), `kl-pglite-${process.pid}.sock`);
/** Where a freshly initialised data dir is kept (per PGlite version), so later instances skip initdb. */
const templateRoot = process.env.PG_TEMPLATE_DIR;

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return (JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Opens the data dir. A new one is copied from the template when there is one (a copy takes well under a second;
 * PGlite's initdb takes 10-30 s on a busy laptop); otherwise initdb runs and its result becomes the template.
 */
async function openDb(): Promise<PGlite> {
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  const template = templateRoot ? `${templateRoot}-${pgliteVersion()}` : undefined;
  if (fresh && template && existsSync(path.join(template, 'PG_VERSION'))) {
    cpSync(template, dataDir, { recursive: true });
    return PGlite.create({ dataDir });
  }
  const db = await PGlite.create({ dataDir });
  if (!fresh || !template) return db;
  await db.close(); // a clean shutdown, so the copy is consistent
  const tmp = `${template}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  cpSync(dataDir, tmp, { recursive: true });
  try {
    renameSync(tmp, template);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another instance made it first
  }
  return PGlite.create({ dataDir });
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

function startupParams(msg: Buffer): Map<string, string> {
  const parts = msg.subarray(8).toString('utf8').split('\0');
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) out.set(parts[i]!, parts[i + 1]!);
  return out;
}

function samePassword(given: Buffer): boolean {
  return given.length === password.length && timingSafeEqual(given, password);
}

/** Runs the auth exchange on one client; on success connects it to PGlite and replays its startup message. */
function serveClient(client: net.Socket): void {
  let buf = Buffer.alloc(0);
  let startup: Buffer | undefined;
  let done = false;
  const fail = (code: string, message: string): void => {
    done = true;
    client.end(errorResponse(code, message));
  };
  const onData = (chunk: Buffer): void => {
    if (done) return;
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (!startup) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (code === SSL_REQUEST && len === 8) {
          client.write('N'); // no TLS on loopback
          buf = buf.subarray(8);
          continue;
        }
        if (code === CANCEL_REQUEST) return void client.destroy();
        if (code !== PROTOCOL_3) return fail('08P01', `unsupported frontend protocol ${code >> 16}.${code & 0xffff}`);
        if (buf.length < len) return;
        startup = buf.subarray(0, len);
        buf = buf.subarray(len);
        const who = startupParams(startup).get('user');
        if (who !== user) return fail('28000', `role "${who ?? ''}" does not exist — use the username from the binding Secret ("${user}")`);
        // AuthenticationCleartextPassword
        client.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
        continue;
      }
      if (buf.length < 5) return;
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) return;
      if (buf[0] !== 0x70) return fail('08P01', 'expected a password message');
      const given = buf.subarray(5, 1 + len - 1); // without the trailing NUL
      const rest = buf.subarray(1 + len);
      if (!samePassword(given)) return fail('28P01', `password authentication failed for user "${user}"`);
      done = true;
      client.off('data', onData);
      client.pause();
      const backend = net.connect(socketPath, () => {
        backend.write(startup!);
        if (rest.length > 0) backend.write(rest);
        client.pipe(backend);
        backend.pipe(client);
        client.resume();
      });
      const close = (): void => {
        client.destroy();
        backend.destroy();
      };
      backend.on('error', close);
      backend.on('close', close);
      client.on('close', close);
      return;
    }
  };
  client.on('data', onData);
  client.on('error', () => client.destroy());
}

async function main(): Promise<void> {
  rmSync(socketPath, { force: true });
  const db = await openDb();
  const inner = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await inner.start();
  const front = net.createServer(serveClient);
  front.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  process.stdout.write(`pg-server: PostgreSQL (PGlite) ready on 127.0.0.1:${port}, data ${dataDir}\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    front.close();
    await inner.stop();
    await db.close(); // flushes the data dir
    rmSync(socketPath, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`pg-server: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
