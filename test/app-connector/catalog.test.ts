import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClient } from '../../main/cli/app-client-gen.js';
import { startConnector, type ConnectorEnv } from './env.js';
import { BASIC, ORDERS_OPENAPI, secret, startExternalSystem, type ExternalSystem } from './targets.js';

const run = promisify(execFile);
const TSC = path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

describe('the API catalog: specifications fetched with the entry’s credentials, cached, and turned into a typed client', () => {
  let env: ConnectorEnv;
  let sys: ExternalSystem;
  let out: string;

  beforeAll(async () => {
    sys = await startExternalSystem();
    env = await startConnector({ timeoutMs: 2000 });
    out = await mkdtemp(path.join(tmpdir(), 'kl-appclient-'));
    await env.apply(secret('orders-basic', { username: BASIC.user, password: BASIC.password }), {
      apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'erp' },
      spec: {
        services: [
          {
            id: 'orders',
            name: 'orders',
            displayName: 'Orders',
            entries: [{ type: 'API', targetUrl: `${sys.url}/basic`, specificationUrl: `${sys.url}/spec/openapi.json`, credentials: { type: 'Basic', secretName: 'orders-basic' } }],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await sys?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('fetches the spec through the credentials and serves the cached copy when the system is offline', async () => {
    const fresh = await env.module.api.spec('erp', 'orders', { refresh: true });
    expect(fresh).toMatchObject({ app: 'erp', service: 'orders', fromCache: false, spec: ORDERS_OPENAPI });
    expect(sys.specFetches).toBe(1);
    const cached = await env.module.api.spec('erp', 'orders');
    expect(cached.fromCache).toBe(true);
    expect(sys.specFetches).toBe(1);
  });

  it('generates a client whose types check against the spec and whose calls go through the gateway', async () => {
    const spec = await env.module.api.spec('erp', 'orders');
    const gen = await generateClient(spec.spec, 'http://central-application-gateway.kyma-system:8080/erp/orders');
    for (const [name, text] of Object.entries(gen.files)) await writeFile(path.join(out, name), text);
    expect(gen.files['client.js']).toContain('http://central-application-gateway.kyma-system:8080/erp/orders');
    await writeFile(
      path.join(out, 'use.ts'),
      `import { GET } from './client.js';
export async function f(): Promise<string> {
  const r = await GET('/orders/{id}', { params: { path: { id: '7' }, query: { expand: true } } });
  const total: number | undefined = r.data.total;
  void total;
  // @ts-expect-error: the spec has no /customers path
  await GET('/customers');
  return r.data.id;
}
`,
    );
    await run(process.execPath, [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--allowJs', 'false', '--lib', 'es2022,dom', '--skipLibCheck', path.join(out, 'use.ts')], { cwd: out }).catch((err: { stdout?: string }) => {
      throw new Error(`the generated client does not type-check:\n${err.stdout ?? String(err)}`);
    });
    // On the host the gateway listens on loopback; APP_GATEWAY_URL points the generated client there.
    process.env.APP_GATEWAY_URL = `${env.gateway}/erp/orders`;
    try {
      const api = createRequire(import.meta.url)(path.join(out, 'client.js')) as { GET(p: string, o: unknown): Promise<{ status: number; data: unknown }> };
      const r = await api.GET('/orders/{id}', { params: { path: { id: '7' }, query: { expand: true } } });
      expect(r).toMatchObject({ status: 200, data: { ok: true, path: '/basic/orders/7', query: { expand: 'true' } } });
    } finally {
      delete process.env.APP_GATEWAY_URL;
    }
  });

  it('refuses to generate a client from a document that is not OpenAPI 3', async () => {
    await expect(generateClient({ swagger: '2.0' }, 'http://x')).rejects.toThrow(/not an OpenAPI 3 document/);
  });
});
