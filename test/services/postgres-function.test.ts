import { access } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHome, waitFor, type TestHome } from '../helpers/cli.js';
import { applyYaml, getJson, POSTGRES_STACK, secretData, type Obj } from './helpers.js';

// The whole path a user takes: provision postgresql from the built-in broker, bind it, a function reads the binding
// through env.secretKeyRef and talks to the database with the `pg` client; data survives a daemon restart;
// deleting frees the port and the data.
let home: TestHome;

beforeAll(async () => {
  home = await createTestHome();
  await home.cli(['up', '--profile', await home.profile({ modules: ['serverless', 'btp-operator'] })], { timeout: 120_000 });
});

afterAll(async () => {
  await home?.cleanup();
});

async function invoke(body: unknown): Promise<{ one: number; notes: string[]; host: string }> {
  const r = await home.cli(['invoke', 'notes', '--data', JSON.stringify(body)], { reject: false });
  if (r.exitCode !== 0) throw new Error(`invoke failed: ${String(r.stdout)} ${String(r.stderr)}`);
  return JSON.parse(String(r.stdout)) as { one: number; notes: string[]; host: string };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function ready(kind: string, name: string, timeoutMs: number): Promise<Obj> {
  let last: Obj | undefined;
  await waitFor(async () => {
    last = await getJson(home, kind, name);
    return last?.status?.ready === 'True';
  }, `${kind} ${name} to be Ready (last: ${JSON.stringify(last?.status?.conditions ?? null)})`, timeoutMs);
  return last!;
}

describe('postgresql from the built-in broker, consumed by a function', () => {
  let creds: Record<string, string>;

  it('provisions, binds and writes the binding Secret with host, port, username, password, database, uri', async () => {
    await applyYaml(home, POSTGRES_STACK);
    const si = await ready('serviceinstance', 'db', 180_000);
    expect(si.status?.conditions?.[0]).toMatchObject({ type: 'Succeeded', status: 'True', reason: 'Created' });
    expect(si.metadata.finalizers).toContain('services.cloud.sap.com/sap-btp-finalizer');
    const sb = await ready('servicebinding', 'db-binding', 60_000);
    expect(sb.status?.bindingID).toBe(sb.metadata.uid);
    creds = await secretData(home, 'db-binding');
    expect(Object.keys(creds).sort()).toEqual(['database', 'host', 'instance_guid', 'instance_name', 'password', 'plan', 'port', 'type', 'uri', 'username']);
    expect(creds).toMatchObject({ host: '127.0.0.1', username: 'postgres', database: 'postgres', instance_name: 'db', plan: 'dev', type: 'postgresql', instance_guid: si.status?.instanceID });
  });

  it('speaks the PostgreSQL wire protocol with the binding credentials, and refuses a wrong password', async () => {
    const c = new pg.Client({ connectionString: creds.uri });
    await c.connect();
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await c.end();
    const bad = new pg.Client({ host: creds.host, port: Number(creds.port), user: creds.username, password: 'wrong', database: creds.database });
    await expect(bad.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('a function with env.secretKeyRef runs SELECT 1 and a CREATE/INSERT/SELECT round trip', async () => {
    let first: Awaited<ReturnType<typeof invoke>> | undefined;
    // The first revision installs `pg` with npm; the function answers once it is Running.
    await waitFor(async () => {
      first = await invoke({ note: 'first' }).catch(() => undefined);
      return first !== undefined;
    }, 'the notes function to answer', 180_000);
    expect(first!.one).toBe(1);
    expect(first!.host).toBe(`127.0.0.1:${creds.port}`);
    expect(first!.notes).toEqual(['first']);
    expect((await invoke({ note: 'second' })).notes).toEqual(['first', 'second']);
  });

  it('keeps the data across a daemon restart (same port, same password)', async () => {
    await home.cli(['daemon', 'stop']);
    expect(await portOpen(Number(creds.port))).toBe(false);
    await home.cli(['up'], { timeout: 120_000 });
    let after: Awaited<ReturnType<typeof invoke>> | undefined;
    await waitFor(async () => {
      after = await invoke({}).catch(() => undefined);
      return after !== undefined;
    }, 'the notes function to answer after the restart', 120_000);
    expect(after!.notes).toEqual(['first', 'second']);
    expect(await secretData(home, 'db-binding')).toEqual(creds);
  });

  it('refuses to delete an instance that has bindings, then deprovisions once they are gone: port and data freed', async () => {
    const si = await getJson(home, 'serviceinstance', 'db');
    const dataDir = join(home.dir, 'cluster', 'services', 'postgresql', String(si?.status?.instanceID));
    await home.cli(['delete', 'serviceinstance', 'db']);
    await waitFor(async () => {
      const cur = await getJson(home, 'serviceinstance', 'db');
      return /has 1 binding\(s\): db-binding — delete them first/.test(String(cur?.status?.conditions?.find((c) => c.type === 'Failed')?.message));
    }, 'the instance to say it has bindings', 30_000);
    expect((await getJson(home, 'serviceinstance', 'db'))?.metadata.deletionTimestamp).toBeTruthy();
    expect(await portOpen(Number(creds.port))).toBe(true);

    await home.cli(['delete', 'servicebinding', 'db-binding']);
    await waitFor(async () => (await getJson(home, 'secret', 'db-binding')) === undefined, 'the binding Secret to be deleted', 30_000);
    await waitFor(async () => (await getJson(home, 'serviceinstance', 'db')) === undefined, 'the instance to be deprovisioned', 60_000);
    expect(await portOpen(Number(creds.port))).toBe(false);
    await expect(access(dataDir)).rejects.toThrow();
  });
});
