import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../model/index.js';
import { exportManifests } from './export.js';
import { readFunctionFolder } from './read-folder.js';
import { tempRoot, writeFiles } from './test-helpers.js';

let root = '';
let cleanup: () => Promise<void> = async () => {};
beforeAll(async () => ({ root, cleanup } = await tempRoot()));
afterAll(() => cleanup());

const CONFIG = [
  'name: orders', 'namespace: shop', 'runtime: nodejs22', 'labels: {app: shop}', 'replicas: 2',
  'env: [{name: A, value: "1"}, {name: S, valueFrom: {secretKeyRef: {name: s, key: k}}}]',
  'subscriptions: [{name: on-order, source: app, types: [order.created.v1]}]',
  'apiRules: [{rules: [{path: /*, methods: [GET], accessStrategies: [{handler: no_auth}]}]}]', '',
].join('\n');
// Trailing spaces, tabs, quotes and a line with only spaces make a block scalar impossible; the string must still survive.
const HANDLER = "module.exports = {\n\tmain: async () => 'it\\'s \"ok\"'   \n};\n  \n";

describe('exportManifests', () => {
  it('round-trips what readFunctionFolder produced, Functions first, cluster-clean', async () => {
    const dir = await writeFiles(path.join(root, 'orders'), { 'config.yaml': CONFIG, 'handler.js': HANDLER, 'package.json': '{\n  "dependencies": {"lodash": "4.17.21"}\n}\n' });
    const res = await readFunctionFolder(dir);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    const objects: KubeObject[] = [...res.others, res.function];
    // What the store adds must not leak into the export.
    objects[2] = {
      ...res.function,
      metadata: { ...res.function.metadata, uid: 'u1', resourceVersion: '7', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{}], annotations: { ...res.function.metadata.annotations, 'kyma-local.io/revision': '3', 'example.com/keep': 'yes' } },
      status: { conditions: [] },
    };
    const text = exportManifests(objects);
    expect(text).toBe(exportManifests([...objects].reverse()));
    const docs = parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
    expect(docs.map((d) => d.kind)).toEqual(['Function', 'Subscription', 'APIRule']);
    expect(docs.map((d) => Object.keys(d))).toEqual([['apiVersion', 'kind', 'metadata', 'spec'], ['apiVersion', 'kind', 'metadata', 'spec'], ['apiVersion', 'kind', 'metadata', 'spec']]);
    expect(docs[0]!.metadata).toEqual({ name: 'orders', namespace: 'shop', labels: { app: 'shop' }, annotations: { 'example.com/keep': 'yes' } });
    expect(docs[0]!.spec).toEqual(res.function.spec);
    expect(docs[1]!.spec).toEqual(res.others[0]!.spec);
    expect(docs[2]!.spec).toEqual(res.others[1]!.spec);
    expect(text).not.toMatch(/status:|uid:|resourceVersion|generation|creationTimestamp|managedFields|kyma-local\.io/);
  });

  it('orders several functions by namespace and name and keeps data objects', () => {
    const fn = (name: string, ns: string): KubeObject => ({ apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', metadata: { name, namespace: ns }, spec: { runtime: 'nodejs22' } });
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' }, data: { k: 'v' } };
    const docs = parseAllDocuments(exportManifests([cm, fn('b', 'a'), fn('a', 'b'), fn('a', 'a')])).map((d) => d.toJS() as KubeObject);
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['Function/a/a', 'Function/a/b', 'Function/b/a', 'ConfigMap/a/cm']);
    expect(docs[3]).toEqual(cm);
  });
});
