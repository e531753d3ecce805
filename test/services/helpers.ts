import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestHome } from '../helpers/cli.js';

export interface Obj {
  metadata: { name: string; uid?: string; finalizers?: string[]; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: { ready?: string; instanceID?: string; bindingID?: string; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>; [k: string]: unknown };
  data?: Record<string, string>;
}

export async function applyYaml(home: TestHome, yaml: string): Promise<void> {
  const file = join(home.dir, `manifest-${Date.now()}.yaml`);
  await writeFile(file, yaml);
  await home.cli(['apply', '-f', file]);
}

/** `kyma-local get <kind> <name> -o json`, undefined when it does not exist. */
export async function getJson(home: TestHome, kind: string, name: string): Promise<Obj | undefined> {
  const r = await home.cli(['get', kind, name, '-o', 'json'], { reject: false });
  return r.exitCode === 0 ? (JSON.parse(String(r.stdout)) as Obj) : undefined;
}

export async function secretData(home: TestHome, name: string): Promise<Record<string, string>> {
  const s = await getJson(home, 'secret', name);
  if (!s?.data) throw new Error(`Secret ${name} not found`);
  return Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** The README's "give a function a database" example (keep the two in step). */
export const POSTGRES_STACK = `apiVersion: services.cloud.sap.com/v1
kind: ServiceInstance
metadata:
  name: db
spec:
  serviceOfferingName: postgresql
  servicePlanName: dev
---
apiVersion: services.cloud.sap.com/v1
kind: ServiceBinding
metadata:
  name: db-binding
spec:
  serviceInstanceName: db
---
apiVersion: serverless.kyma-project.io/v1alpha2
kind: Function
metadata:
  name: notes
spec:
  runtime: nodejs22
  env:
    - name: DATABASE_URL
      valueFrom:
        secretKeyRef:
          name: db-binding
          key: uri
  source:
    inline:
      dependencies: |
        { "name": "notes", "version": "1.0.0", "dependencies": { "pg": "8.23.1" } }
      source: |
        const { Client } = require('pg');
        module.exports = {
          main: async (event) => {
            const db = new Client({ connectionString: process.env.DATABASE_URL });
            await db.connect();
            try {
              const one = (await db.query('SELECT 1 AS one')).rows[0].one;
              await db.query('CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)');
              if (event.data && event.data.note) await db.query('INSERT INTO notes (body) VALUES ($1)', [event.data.note]);
              const notes = (await db.query('SELECT body FROM notes ORDER BY id')).rows.map((r) => r.body);
              return { one, notes, host: db.host + ':' + db.port };
            } finally {
              await db.end();
            }
          },
        };
`;
