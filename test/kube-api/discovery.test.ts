import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeServer, type TestKubeServer } from './server.js';
import { call } from './client.js';

let s: TestKubeServer;
beforeAll(async () => {
  s = await startKubeServer();
});
afterAll(async () => {
  await s.close();
});

describe('discovery', () => {
  it('serves /api and the core resource list', async () => {
    const api = await call(s, 'GET', '/api');
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const v1 = await call(s, 'GET', '/api/v1');
    expect(v1.body.kind).toBe('APIResourceList');
    expect(v1.body.groupVersion).toBe('v1');
    const cm = v1.body.resources.find((r: { name: string }) => r.name === 'configmaps');
    expect(cm).toMatchObject({ singularName: 'configmap', namespaced: true, kind: 'ConfigMap', shortNames: ['cm'] });
    expect(cm.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']));
    expect(v1.body.resources.find((r: { name: string }) => r.name === 'namespaces')).toMatchObject({ namespaced: false, kind: 'Namespace' });
  });

  it('serves the group list with preferred versions, a group and its resources incl. the status subresource', async () => {
    const groups = await call(s, 'GET', '/apis');
    expect(groups.body.kind).toBe('APIGroupList');
    const gateway = groups.body.groups.find((g: { name: string }) => g.name === 'gateway.kyma-project.io');
    expect(gateway.preferredVersion).toEqual({ groupVersion: 'gateway.kyma-project.io/v2', version: 'v2' });
    expect(gateway.versions.map((v: { version: string }) => v.version)).toEqual(['v2', 'v2alpha1', 'v1beta1']);

    const group = await call(s, 'GET', '/apis/serverless.kyma-project.io');
    expect(group.body).toMatchObject({ kind: 'APIGroup', name: 'serverless.kyma-project.io', preferredVersion: { version: 'v1alpha2' } });

    const list = await call(s, 'GET', '/apis/serverless.kyma-project.io/v1alpha2');
    expect(list.body.groupVersion).toBe('serverless.kyma-project.io/v1alpha2');
    const names = list.body.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(['functions', 'functions/status']);
    expect(list.body.resources[0]).toMatchObject({ kind: 'Function', singularName: 'function', shortNames: ['fn', 'fns'], categories: ['all', 'kyma'] });
    expect(list.body.resources[1].verbs).toEqual(['get', 'patch', 'update']);

    const app = await call(s, 'GET', '/apis/applicationconnector.kyma-project.io/v1alpha1');
    expect(app.body.resources[0]).toMatchObject({ name: 'applications', namespaced: false });
  });

  it('answers aggregated-discovery requests with the legacy types as application/json (kubectl falls back)', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const r = await call(s, 'GET', '/apis', undefined, { Accept: accept });
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.body.kind).toBe('APIGroupList');
  });

  it('serves /version', async () => {
    const r = await call(s, 'GET', '/version');
    expect(r.body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-kyma-local+0.0.0-test' });
    expect(r.body.platform).toMatch(/^\w+\/\w+$/);
  });

  it('serves OpenAPI v3 with fieldValidation advertised on the PATCH operation of each kind', async () => {
    const root = await call(s, 'GET', '/openapi/v3');
    const entry = root.body.paths['apis/serverless.kyma-project.io/v1alpha2'];
    expect(entry.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/serverless\.kyma-project\.io\/v1alpha2\?hash=[0-9A-F]+$/);
    expect(root.body.paths['api/v1']).toBeDefined();

    const doc = await call(s, 'GET', entry.serverRelativeURL);
    const item = doc.body.paths['/apis/serverless.kyma-project.io/v1alpha2/namespaces/{namespace}/functions/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'serverless.kyma-project.io', version: 'v1alpha2', kind: 'Function' });
    expect(item.patch.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager']));
    // CRD-like kinds take merge patches only, so kubectl apply sends application/merge-patch+json.
    expect(Object.keys(item.patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
    const schema = doc.body.components.schemas['io.kyma-project.serverless.v1alpha2.Function'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: 'serverless.kyma-project.io', version: 'v1alpha2', kind: 'Function' }]);

    const core = await call(s, 'GET', root.body.paths['api/v1'].serverRelativeURL);
    const cmPatch = core.body.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    expect(Object.keys(cmPatch.requestBody.content)).toContain('application/strategic-merge-patch+json');
  });

  it('serves /openapi/v2 as Swagger JSON and refuses a protobuf-only Accept with 406', async () => {
    const v2 = await call(s, 'GET', '/openapi/v2', undefined, { Accept: 'application/json' });
    expect(v2.body.swagger).toBe('2.0');
    const def = v2.body.definitions['io.kyma-project.gateway.v2.APIRule'];
    expect(def['x-kubernetes-group-version-kind']).toEqual([{ group: 'gateway.kyma-project.io', version: 'v2', kind: 'APIRule' }]);
    const put = v2.body.paths['/apis/gateway.kyma-project.io/v2/namespaces/{namespace}/apirules/{name}'].put;
    expect(put.parameters.find((p: { in: string }) => p.in === 'body').schema).toEqual({ $ref: '#/definitions/io.kyma-project.gateway.v2.APIRule' });
    expect(put.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    const pb = await call(s, 'GET', '/openapi/v2', undefined, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(pb.status).toBe(406);
  });

  it('answers 404 for unknown paths, 405 for wrong methods, and leaves other paths to the caller', async () => {
    const unknown = await call(s, 'GET', '/apis/serverless.kyma-project.io/v1alpha2/namespaces/default/gadgets');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    expect((await call(s, 'GET', '/apis/nope.example.com/v1')).status).toBe(404);
    const post = await call(s, 'POST', '/apis', {});
    expect(post.status).toBe(405);
    expect(post.body.reason).toBe('MethodNotAllowed');
    const other = await call(s, 'GET', '/kl/v1/status');
    expect(other.status).toBe(404);
    expect(other.body.text).toBe('not a Kubernetes API path\n');
  });
});
