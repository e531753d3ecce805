import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFunctionFolder } from './read-folder.js';
import { HANDLER, tempRoot, writeFiles } from './test-helpers.js';
import type { FolderReadOk } from './types.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
let n = 0;
beforeAll(async () => ({ root, cleanup } = await tempRoot()));
afterAll(() => cleanup());

async function readOk(files: Record<string, string>): Promise<FolderReadOk> {
  const dir = await writeFiles(path.join(root, `f${n++}`), files);
  const res = await readFunctionFolder(dir);
  if (!res.ok) throw new Error(JSON.stringify(res.errors));
  return res;
}

describe('readFunctionFolder mapping', () => {
  it('maps a minimal folder with defaults', async () => {
    const deps = '{ "name": "hello", "version": "0.0.1", "dependencies": {} }\n';
    const res = await readOk({ 'config.yaml': 'name: hello\nruntime: nodejs22\n', 'handler.js': HANDLER, 'package.json': deps });
    const dir = path.dirname(res.files[0]!);
    expect(res.function).toEqual({
      apiVersion: 'serverless.kyma-project.io/v1alpha2',
      kind: 'Function',
      metadata: { name: 'hello', namespace: 'default', annotations: { 'kyma-local.io/source-dir': dir } },
      spec: { runtime: 'nodejs22', source: { inline: { source: HANDLER, dependencies: deps } } },
    });
    expect(res.others).toEqual([]);
    expect(res.files).toEqual([path.join(dir, 'config.yaml'), path.join(dir, 'handler.js'), path.join(dir, 'package.json')]);
    expect(res.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('omits dependencies without package.json and maps labels, env, replicas, resources', async () => {
    const res = await readOk({
      'config.yaml': [
        'schemaVersion: v1', 'name: orders', 'namespace: shop', 'runtime: nodejs24', 'replicas: 0',
        'labels:', '  app: shop', '  tier: "1"',
        'env:', '  - name: GREETING', '    value: hi', '  - name: TOKEN', '    valueFrom:', '      secretKeyRef:', '        name: s1', '        key: token',
        '  - name: MODE', '    valueFrom:', '      configMapKeyRef: {name: cm, key: mode}',
        'resources:', '  limits: {cpu: 500m, memory: 256Mi}', '  requests:', '    memory: 64Mi', '',
      ].join('\n'),
      'handler.js': HANDLER,
    });
    expect(res.function.metadata.labels).toEqual({ app: 'shop', tier: '1' });
    expect(res.function.metadata.namespace).toBe('shop');
    expect(res.function.spec).toEqual({
      runtime: 'nodejs24',
      source: { inline: { source: HANDLER } },
      replicas: 0,
      env: [
        { name: 'GREETING', value: 'hi' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's1', key: 'token' } } },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cm', key: 'mode' } } },
      ],
      resourceConfiguration: { function: { resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { memory: '64Mi' } } } },
    });
  });

  it('maps a resource profile given as runtimeResources', async () => {
    const res = await readOk({ 'config.yaml': 'name: p\nruntime: nodejs22\nruntimeResources:\n  profile: XS\n', 'handler.js': HANDLER });
    expect(res.function.spec?.resourceConfiguration).toEqual({ function: { profile: 'XS' } });
  });

  it('honours source.sourcePath, sourceHandlerName and depsHandlerName', async () => {
    const res = await readOk({
      'config.yaml': 'name: s\nruntime: nodejs22\nsource:\n  sourceType: inline\n  sourcePath: src\n  sourceHandlerName: /code/main.js\n  depsHandlerName: deps.json\n',
      'src/code/main.js': HANDLER,
      'src/deps.json': '{}',
    });
    const dir = path.dirname(res.files[0]!);
    expect(res.files.slice(1)).toEqual([path.join(dir, 'src/code/main.js'), path.join(dir, 'src/deps.json')]);
    expect(res.function.spec?.source).toEqual({ inline: { source: HANDLER, dependencies: '{}' } });
  });

  it('reads handler.py and requirements.txt for python312', async () => {
    const res = await readOk({ 'config.yaml': 'name: py\nruntime: python312\n', 'handler.py': 'def main(event, context):\n  return "hi"\n', 'requirements.txt': 'requests==2.31.0\n' });
    expect(res.function.spec?.source).toEqual({ inline: { source: 'def main(event, context):\n  return "hi"\n', dependencies: 'requests==2.31.0\n' } });
  });

  it('maps v1 subscriptions with the function sink, default names and labels', async () => {
    const res = await readOk({
      'config.yaml': [
        'name: fn', 'namespace: ns', 'runtime: nodejs22', 'labels: {app: a}', 'subscriptions:',
        '  - name: on-order', '    source: myapp', '    types: [order.created.v1, order.updated.v1]',
        '  - typeMatching: exact', '    types: [sap.kyma.custom.app.order.created.v1]', '',
      ].join('\n'),
      'handler.js': HANDLER,
    });
    expect(res.others).toEqual([
      {
        apiVersion: 'eventing.kyma-project.io/v1alpha2', kind: 'Subscription',
        metadata: { name: 'on-order', namespace: 'ns', labels: { app: 'a' } },
        spec: { sink: 'http://fn.ns.svc.cluster.local', source: 'myapp', types: ['order.created.v1', 'order.updated.v1'] },
      },
      {
        apiVersion: 'eventing.kyma-project.io/v1alpha2', kind: 'Subscription',
        metadata: { name: 'fn-1', namespace: 'ns', labels: { app: 'a' } },
        spec: { sink: 'http://fn.ns.svc.cluster.local', typeMatching: 'exact', types: ['sap.kyma.custom.app.order.created.v1'] },
      },
    ]);
  });

  it('converts v0 (filter) subscriptions to exact v1alpha2 ones', async () => {
    const res = await readOk({
      'config.yaml': [
        'name: fn', 'runtime: nodejs22', 'subscriptions:', '  - name: old', '    protocol: ""', '    filter:', '      filters:',
        '        - eventSource: {property: source, type: exact, value: ""}',
        '          eventType: {property: type, type: exact, value: sap.kyma.custom.demo.order.created.v1}', '',
      ].join('\n'),
      'handler.js': HANDLER,
    });
    expect(res.others[0]?.spec).toEqual({ sink: 'http://fn.default.svc.cluster.local', typeMatching: 'exact', types: ['sap.kyma.custom.demo.order.created.v1'] });
  });

  it('converts apiRules to APIRule v2 (noAuth, jwt, gateway, path, host)', async () => {
    const res = await readOk({
      'config.yaml': [
        'name: fn', 'namespace: ns', 'runtime: nodejs22', 'apiRules:',
        '  - gateway: kyma-gateway.kyma-system.svc.cluster.local', '    service: {host: fn.example.com, port: 80}', '    rules:',
        '      - path: /.*', '        methods: [GET, POST]', '        accessStrategies: [{handler: allow}]',
        '      - path: /admin/.*', '        methods: [DELETE]', '        accessStrategies:', '          - handler: jwt', '            config:',
        '              jwks_urls: [https://idp/keys]', '              trusted_issuers: [https://idp]', '              required_scope: [admin]',
        '      - path: /open', '        accessStrategies: []',
        '  - name: second', '    rules:', '      - path: /x', '        accessStrategies:', '          - handler: jwt',
        '            config: {jwksUrls: [https://a/keys, https://b/keys], trustedIssuers: [https://a, https://b]}', '',
      ].join('\n'),
      'handler.js': HANDLER,
    });
    expect(res.others).toEqual([
      {
        apiVersion: 'gateway.kyma-project.io/v2', kind: 'APIRule', metadata: { name: 'fn', namespace: 'ns' },
        spec: {
          hosts: ['fn.example.com'], service: { name: 'fn', namespace: 'ns', port: 80 }, gateway: 'kyma-system/kyma-gateway',
          rules: [
            { path: '/*', methods: ['GET', 'POST'], noAuth: true },
            { path: '/admin/{**}', methods: ['DELETE'], jwt: { authentications: [{ issuer: 'https://idp', jwksUri: 'https://idp/keys' }], authorizations: [{ requiredScopes: ['admin'] }] } },
            { path: '/open', methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], noAuth: true },
          ],
        },
      },
      {
        apiVersion: 'gateway.kyma-project.io/v2', kind: 'APIRule', metadata: { name: 'second', namespace: 'ns' },
        spec: {
          hosts: ['fn'], service: { name: 'fn', namespace: 'ns', port: 80 }, gateway: 'kyma-system/kyma-gateway',
          rules: [{ path: '/x', methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], jwt: { authentications: [{ issuer: 'https://a', jwksUri: 'https://a/keys' }, { issuer: 'https://b', jwksUri: 'https://b/keys' }] } }],
        },
      },
    ]);
  });

  it('changes contentHash when handler, deps or config change, and keeps it otherwise', async () => {
    const base = { 'config.yaml': 'name: h\nruntime: nodejs22\n', 'handler.js': HANDLER, 'package.json': '{}' };
    const a = await readOk(base);
    const same = await readOk(base);
    const handler = await readOk({ ...base, 'handler.js': `${HANDLER}// edit\n` });
    const deps = await readOk({ ...base, 'package.json': '{"dependencies":{}}' });
    const config = await readOk({ ...base, 'config.yaml': 'name: h\nruntime: nodejs22\nreplicas: 2\n' });
    expect(same.contentHash).toBe(a.contentHash);
    expect(new Set([a, handler, deps, config].map((r) => r.contentHash)).size).toBe(4);
  });
});
